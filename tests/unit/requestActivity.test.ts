import { RequestActivity } from '../../server/requestActivity';

describe('request activity', () => {
  test('counts the requests waiting for their answer, each once, and remembers when the last arrived', () => {
    let now = 1_000;
    const requests = new RequestActivity(() => now);
    expect(requests.within(100)).toBe(false);
    const answers = [requests.arrived(), requests.arrived(), requests.arrived()];
    expect(requests.waiting).toBe(3);
    answers[0]();
    // Acked, then its processing ended: the second call changes nothing.
    answers[0]();
    expect(requests.waiting).toBe(2);
    now += 99;
    expect(requests.within(100)).toBe(true);
    now += 1;
    expect(requests.within(100)).toBe(false);
    for (const answered of answers) answered();
    expect(requests.waiting).toBe(0);
  });
});
