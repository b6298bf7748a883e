import type { SlackGateway } from '../../slack/gateway';
import { type ProfilesConfirmed, UserDirectory } from '../../slack/userDirectory';
import type { SlackUserProfile } from '../../slack/userProfile';

const TTL_MS = 60_000;

/** A directory over a gateway that answers users.info at once, counting the calls. */
function directory() {
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const calls: string[] = [];
  const gateway = {
    userInfo: async (userId: string): Promise<SlackUserProfile> => {
      calls.push(userId);
      return {
        id: userId,
        name: userId.toLowerCase(),
        realName: `Person ${userId}`,
        displayName: '',
        title: '',
        email: null,
        isBot: false,
        deleted: false,
        tz: null,
      };
    },
  } as unknown as SlackGateway;
  const users = new UserDirectory(gateway, TTL_MS, { now: () => new Date(now) });
  return { users, calls, advance: (ms: number) => (now += ms) };
}

const PEOPLE = ['U0ALICE001', 'U0BOB00001', 'U0CAROL001'];

describe('UserDirectory.holdsSameProfiles', () => {
  test('true while each profile is the very object handed out; false once one was looked up again', async () => {
    const { users, advance } = directory();
    const profiles = [...(await users.profiles(PEOPLE)).values()];
    expect(users.holdsSameProfiles(PEOPLE, profiles)).toBe(true);
    advance(TTL_MS + 1);
    expect(users.holdsSameProfiles(PEOPLE, profiles)).toBe(false);
    await users.profile('U0BOB00001');
    expect(users.holdsSameProfiles(PEOPLE, profiles)).toBe(false);
  });

  test('a confirmation answers again without a look-up per person, and is never wrong', async () => {
    const { users, advance } = directory();
    const profiles = [...(await users.profiles(PEOPLE)).values()];
    const confirmed: ProfilesConfirmed = { generation: -1, until: 0 };
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(true);
    expect(confirmed.until).toBe(Date.parse('2026-03-01T10:00:00.000Z') + TTL_MS);
    // Answered from the confirmation this time.
    const seen = confirmed.generation;
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(true);
    // Someone else's profile arriving changes the directory: checked again in full, still true.
    await users.profile('U0DAVE0001');
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(true);
    expect(confirmed.generation).toBeGreaterThan(seen);
    // The earliest expiry ends it, with nothing else in the directory changed.
    advance(TTL_MS);
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(false);
  });

  test('a profile replaced after it expired is noticed through the confirmation', async () => {
    const { users, advance, calls } = directory();
    const profiles = [...(await users.profiles(PEOPLE)).values()];
    const confirmed: ProfilesConfirmed = { generation: -1, until: 0 };
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(true);
    advance(TTL_MS + 1);
    await users.profiles(PEOPLE);
    expect(calls).toHaveLength(6);
    // Fresh again, but other objects than the list was made from.
    expect(users.holdsSameProfiles(PEOPLE, profiles, confirmed)).toBe(false);
  });
});
