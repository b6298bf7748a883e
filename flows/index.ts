import { joinFromAnnouncement, memberJoined, memberLeft, memberWrote } from './channelMembership';
import type { FlowDependencies } from './dependencies';
import { editIncident, openEditForm } from './editIncident';
import { engageOncall, openEngageForm } from './engageOncall';
import { openFeedbackForm, submitFeedback } from './feedback';
import {
  addFollowUps,
  completeFollowUp,
  makeTaskAFollowUp,
  openFollowUpForm,
  openMakeFollowUpForm,
  resolveTaskFromHome,
} from './followUps';
import { showHome } from './home';
import { setUpIncidentChannel } from './incidentChannel';
import { postPostmortem } from './postmortem';
import { replyAfterSubmission, replyByResponseUrl } from './reply';
import { openReportForm, reportIncident } from './reportIncident';
import { addResource, openResourceForm, showResourceList } from './resources';
import { assignRole, listParticipants, openAssignRoleForm, participantListNow } from './roles';
import { completeStatusChange, requestStatusChange } from './statusChange';
import { snoozeReminder } from './statusReportReminders';
import { openStatusReportForm, submitStatusReport } from './statusReports';
import { addTask, changeTaskStatus, openTaskForm, showTaskList } from './tasks';
import { addMessageToTimeline, postTimeline, showTimeline } from './timeline';

export type { FlowDependencies } from './dependencies';
export type { Reply } from './reply';

/** A flow with its dependencies given: what a listener calls. */
function bind<D, A extends unknown[], R>(deps: D, flow: (deps: D, ...args: A) => R): (...args: A) => R {
  return (...args) => flow(deps, ...args);
}

/**
 * Every flow a listener may start, bound to the app's dependencies once at composition. Each flow
 * declares the narrow part of FlowDependencies it uses; listeners see only these functions, never
 * the store or the gateway.
 */
export function createFlows(deps: FlowDependencies) {
  return {
    replyByResponseUrl: bind(deps, replyByResponseUrl),
    replyAfterSubmission: bind(deps, replyAfterSubmission),
    openReportForm: bind(deps, openReportForm),
    reportIncident: bind(deps, reportIncident),
    retrySetup: bind(deps, setUpIncidentChannel),
    requestStatusChange: bind(deps, requestStatusChange),
    completeStatusChange: bind(deps, completeStatusChange),
    openEditForm: bind(deps, openEditForm),
    editIncident: bind(deps, editIncident),
    listParticipants: bind(deps, listParticipants),
    participantListNow: bind(deps, participantListNow),
    openAssignRoleForm: bind(deps, openAssignRoleForm),
    assignRole: bind(deps, assignRole),
    memberJoined: bind(deps, memberJoined),
    memberLeft: bind(deps, memberLeft),
    memberWrote: bind(deps, memberWrote),
    joinFromAnnouncement: bind(deps, joinFromAnnouncement),
    openEngageForm: bind(deps, openEngageForm),
    engageOncall: bind(deps, engageOncall),
    openStatusReportForm: bind(deps, openStatusReportForm),
    submitStatusReport: bind(deps, submitStatusReport),
    snoozeReminder: bind(deps, snoozeReminder),
    showTaskList: bind(deps, showTaskList),
    openTaskForm: bind(deps, openTaskForm),
    addTask: bind(deps, addTask),
    changeTaskStatus: bind(deps, changeTaskStatus),
    showResourceList: bind(deps, showResourceList),
    openResourceForm: bind(deps, openResourceForm),
    addResource: bind(deps, addResource),
    addMessageToTimeline: bind(deps, addMessageToTimeline),
    showTimeline: bind(deps, showTimeline),
    postTimeline: bind(deps, postTimeline),
    showHome: bind(deps, showHome),
    openFollowUpForm: bind(deps, openFollowUpForm),
    addFollowUps: bind(deps, addFollowUps),
    openMakeFollowUpForm: bind(deps, openMakeFollowUpForm),
    makeTaskAFollowUp: bind(deps, makeTaskAFollowUp),
    completeFollowUp: bind(deps, completeFollowUp),
    resolveTaskFromHome: bind(deps, resolveTaskFromHome),
    openFeedbackForm: bind(deps, openFeedbackForm),
    submitFeedback: bind(deps, submitFeedback),
    postPostmortem: bind(deps, postPostmortem),
  };
}

export type Flows = ReturnType<typeof createFlows>;
