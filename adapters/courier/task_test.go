package courier_test

import (
	"context"
	"testing"
	"time"

	"gatehouse/adapters/courier"
	"gatehouse/core/fault"
)

type ctxKey struct{}

// TestDeferRunsTaskLater: Defer returns before the task runs; the task
// gets the request's values but outlives its cancellation.
func TestDeferRunsTaskLater(t *testing.T) {
	c := courier.New(&fakeNext{}, courier.Options{Workers: 1})
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "req-1"))
	type seen struct {
		value any
		err   error
	}
	got := make(chan seen, 1)
	if err := c.Defer(ctx, func(ctx context.Context) { got <- seen{ctx.Value(ctxKey{}), ctx.Err()} }); err != nil {
		t.Fatal(err)
	}
	cancel() // the request ends before any worker runs
	select {
	case s := <-got:
		t.Fatalf("the task ran before Start: %+v", s)
	default:
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s.value != "req-1" || s.err != nil {
		t.Fatalf("task saw value %v, err %v; want req-1 and a live context", s.value, s.err)
	}
}

// TestTaskNotifyDeliversItself: a task's notification is delivered before
// its Notify returns, also while Stop drains (when the queue refuses new
// messages), so deferred mail is not lost on an orderly stop.
func TestTaskNotifyDeliversItself(t *testing.T) {
	next := &fakeNext{}
	c := courier.New(next, courier.Options{Workers: 1, QueueSize: 1})
	delivered := make(chan int, 1)
	task := func(ctx context.Context) {
		if err := c.Notify(ctx, note(1)); err != nil {
			t.Errorf("Notify from a task: %v", err)
		}
		_, n := next.counts()
		delivered <- n
	}
	if err := c.Defer(context.Background(), task); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background()); err != nil { // drains a courier never started
		t.Fatal(err)
	}
	if n := <-delivered; n != 1 {
		t.Fatalf("%d delivered when the task's Notify returned, want 1", n)
	}
}

// TestTaskNotifyRetries: a task's own delivery retries like a queued one.
func TestTaskNotifyRetries(t *testing.T) {
	next := &fakeNext{answer: func(_ context.Context, call int) error {
		if call == 1 {
			return fault.New(fault.Unavailable, "notify.unavailable", "try later")
		}
		return nil
	}}
	c := courier.New(next, courier.Options{Workers: 1, Backoff: time.Nanosecond})
	task := func(ctx context.Context) {
		if err := c.Notify(ctx, note(1)); err != nil {
			t.Errorf("Notify from a task: %v", err)
		}
	}
	if err := c.Defer(context.Background(), task); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls, delivered := next.counts(); calls != 2 || delivered != 1 {
		t.Fatalf("calls %d, delivered %d; want 2, 1", calls, delivered)
	}
}

func TestDeferRefusals(t *testing.T) {
	c := courier.New(&fakeNext{}, courier.Options{QueueSize: 1})
	noop := func(context.Context) {}
	if err := c.Defer(context.Background(), noop); err != nil {
		t.Fatal(err)
	}
	err := c.Defer(context.Background(), noop)
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != courier.ReasonQueueFull {
		t.Fatalf("Defer on a full queue = %v; want unavailable %s", err, courier.ReasonQueueFull)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = c.Defer(context.Background(), noop)
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != courier.ReasonStopped {
		t.Fatalf("Defer after Stop = %v; want unavailable %s", err, courier.ReasonStopped)
	}
}
