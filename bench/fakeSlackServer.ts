import { FakeSlack } from '../tests/support/fakeSlack';

/** The tests' fake Slack Web API on 127.0.0.1, for measuring a real start (bench/startup.sh). Prints its API URL. */
void FakeSlack.start({ appId: 'A0APPTEST1', botToken: 'xoxb-startup-bench-1' }).then((fake) => {
  process.stdout.write(`${fake.apiUrl}\n`);
  process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
});
