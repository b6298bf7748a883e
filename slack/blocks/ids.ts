/** action_id and callback_id values: one list, so listeners and renderers agree. */
export const ACTIONS = {
  markActive: 'incident_mark_active',
  markStable: 'incident_mark_stable',
  markClosed: 'incident_mark_closed',
  edit: 'incident_edit',
  join: 'incident_join',
  retrySetup: 'incident_retry_setup',
  statusReport: 'status_report_open',
  snoozeReminder: 'status_report_snooze',
  resolveTask: 'task_resolve',
  reopenTask: 'task_reopen',
  addTask: 'task_add',
  addResource: 'resource_add',
  showTimeline: 'timeline_show',
  postTimeline: 'timeline_post',
  catchUp: 'incident_catch_up',
  help: 'dispatch_help',
  follow: 'incident_follow',
  unfollow: 'incident_unfollow',
  followUpDone: 'follow_up_done',
  homeTaskDone: 'home_task_done',
  makeFollowUp: 'task_make_follow_up',
  openFeedback: 'feedback_open',
  postmortem: 'postmortem_post',
} as const;

export const VIEWS = {
  report: 'incident_report',
  edit: 'incident_edit',
  resolution: 'incident_resolution',
  assignRole: 'participant_assign_role',
  engageOncall: 'oncall_engage',
  statusReport: 'status_report',
  addTask: 'task_add',
  addResource: 'resource_add',
  timeline: 'timeline',
  followUp: 'follow_up_add',
  makeFollowUp: 'task_make_follow_up',
  feedback: 'feedback_form',
} as const;

export const SHORTCUTS = {
  reportIncident: 'report_incident_from_message',
  addTask: 'add_task_from_message',
  addFollowUp: 'add_follow_up_from_message',
} as const;

/** Every input in our modals uses this action_id; the block_id names the field. */
export const INPUT_ACTION = 'value';
