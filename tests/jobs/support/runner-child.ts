// A portal-like process that only runs the job runner on DATA_DIR (the SIGKILL resume test starts it twice).
// Run with: node --require ./tests/jobs/support/server-only-off.cjs --import tsx tests/jobs/support/runner-child.ts
// Prints one line per job event ("progress <done> <total> <state>") so the parent knows when to kill it.
import { eventBus } from "@/lib/events";
import { startJobRunner } from "@/lib/jobs";

eventBus().subscribe("job", (e) => {
  process.stdout.write(`progress ${e.done} ${e.total} ${e.state}\n`);
});
const runner = startJobRunner({ pollMs: 50, backoffMs: () => 50 });
runner.wake();
runner.idle().then(
  () => {
    process.stdout.write("idle\n");
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
