/** action_id and callback_id values: one list, so listeners and renderers agree. */
export const ACTIONS = {
  markActive: 'incident_mark_active',
  markStable: 'incident_mark_stable',
  markClosed: 'incident_mark_closed',
  edit: 'incident_edit',
  join: 'incident_join',
  retrySetup: 'incident_retry_setup',
} as const;

export const VIEWS = {
  report: 'incident_report',
  edit: 'incident_edit',
  resolution: 'incident_resolution',
  assignRole: 'participant_assign_role',
  engageOncall: 'oncall_engage',
} as const;

export const SHORTCUTS = {
  reportIncident: 'report_incident_from_message',
} as const;

/** Every input in our modals uses this action_id; the block_id names the field. */
export const INPUT_ACTION = 'value';
