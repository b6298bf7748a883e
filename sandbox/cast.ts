/** The sandbox's people and first channels: a small company with an on-call rotation. */
import type { FakeUser } from './workspace';

export const CAST: FakeUser[] = [
  {
    id: 'U0ALEXRIVR',
    name: 'alex',
    real_name: 'Alex Rivera',
    title: 'Site Reliability Engineer',
    email: 'alex@sandbox.example',
    tz: 'America/Los_Angeles',
  },
  {
    id: 'U0PRIYANAT',
    name: 'priya',
    real_name: 'Priya Natarajan',
    title: 'Engineering Manager, Payments',
    email: 'priya@sandbox.example',
    tz: 'Europe/London',
  },
  {
    id: 'U0SAMOKAFR',
    name: 'sam',
    real_name: 'Sam Okafor',
    title: 'Backend Engineer, Checkout',
    email: 'sam@sandbox.example',
    tz: 'Africa/Lagos',
  },
  {
    id: 'U0MEITANKA',
    name: 'mei',
    real_name: 'Mei Tanaka',
    title: 'Customer Support Lead',
    email: 'mei@sandbox.example',
    tz: 'Asia/Tokyo',
  },
  {
    id: 'U0JONASBKR',
    name: 'jonas',
    real_name: 'Jonas Becker',
    title: 'Security Engineer',
    email: 'jonas@sandbox.example',
    tz: 'Europe/Berlin',
  },
  {
    id: 'U0LUCIAFDZ',
    name: 'lucia',
    real_name: 'Lucía Fernández',
    title: 'Communications Manager',
    email: 'lucia@sandbox.example',
    tz: 'America/Mexico_City',
  },
];

export const GENERAL_CHANNEL = { id: 'C0SBXGENRL', name: 'general', purpose: 'Company-wide announcements and chat' };
export const INCIDENTS_CHANNEL = { id: 'C0SBXINCDT', name: 'incidents', purpose: 'Every open incident is announced here' };
