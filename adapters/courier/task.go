package courier

import "context"

// runningTask marks the context of a task a courier runs, with that
// courier as its value, so the task's own notifications skip the queue.
type runningTask struct{}

// Defer implements ports.Background: task waits in the queue beside the
// messages and a worker runs it, so deferring costs every caller the same.
// A task still queued when Stop starts runs while Stop drains; one left
// when Stop gives up is dropped and counted as an undelivered message. Its
// context ends when Stop gives up. fault.Unavailable notify.queue_full and
// notify.stopped as for Notify.
func (c *Courier) Defer(ctx context.Context, task func(context.Context)) error {
	return c.enqueue(job{ctx: context.WithoutCancel(ctx), task: task})
}

// runTask runs a deferred task with a context marked as this courier's,
// cancelled when Stop gives up.
func (c *Courier) runTask(j job) {
	ctx, cancel := context.WithCancel(context.WithValue(j.ctx, runningTask{}, c))
	defer cancel()
	defer context.AfterFunc(c.run, cancel)()
	j.task(ctx)
}
