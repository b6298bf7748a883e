/** Links into the workspace, built from SLACK_WORKSPACE_NAME. */
export class WorkspaceLinks {
  constructor(private readonly workspaceName: string) {}

  channel(channelId: string): string {
    return `https://${this.workspaceName}.slack.com/archives/${channelId}`;
  }

  message(channelId: string, ts: string): string {
    return `${this.channel(channelId)}/p${ts.replace('.', '')}`;
  }
}
