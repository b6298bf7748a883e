/** auth.test, team.info, users.info, users.lookupByEmail. */
import { argString, fail, required } from '../args';
import type { MethodTable, WorkspaceState } from '../state';

export function registerUserMethods(h: MethodTable, ws: WorkspaceState): void {
  const teamName = ws.teamDomain.charAt(0).toUpperCase() + ws.teamDomain.slice(1);
  h.set('auth.test', () => ({
    url: `https://${ws.teamDomain}.slack.com/`,
    team: teamName,
    user: 'dispatch',
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    is_enterprise_install: false,
  }));
  h.set('team.info', () => ({
    team: { id: ws.teamId, name: teamName, domain: ws.teamDomain, email_domain: '', icon: {} },
  }));
  h.set('users.info', (args) => {
    const id = argString(args, 'user');
    if (!id) fail('user_not_found');
    return { user: ws.slackUser(ws.userRecord(id)) };
  });
  h.set('users.lookupByEmail', (args) => {
    const email = required(args, 'email').toLowerCase();
    const user = [...ws.users.values()].find((u) => u.email?.toLowerCase() === email);
    if (!user) fail('users_not_found');
    return { user: ws.slackUser(user) };
  });
}
