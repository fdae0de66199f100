package courier_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/adapters/courier"
	"gatehouse/core/fault"
)

func TestFullQueue(t *testing.T) {
	next := &fakeNext{}
	c := courier.New(next, courier.Options{QueueSize: 2})
	mustNotify(t, c, note(1))
	mustNotify(t, c, note(2))
	err := c.Notify(context.Background(), note(3))
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != courier.ReasonQueueFull {
		t.Fatalf("Notify on a full queue = %v; want unavailable %s", err, courier.ReasonQueueFull)
	}
	if err := c.Stop(context.Background()); err != nil { // drains a courier never started
		t.Fatal(err)
	}
	if got := next.recipients(); len(got) != 2 || got[note(1).Recipient] != 1 || got[note(2).Recipient] != 1 {
		t.Fatalf("delivered %v; want the two queued", got)
	}
}

func TestStopDrainsAndRefuses(t *testing.T) {
	const n = 20
	next := &fakeNext{}
	c := courier.New(next, courier.Options{Workers: 3})
	for i := range n {
		mustNotify(t, c, note(i))
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, delivered := next.counts(); delivered != n {
		t.Fatalf("delivered %d, want %d", delivered, n)
	}
	err := c.Notify(context.Background(), note(n))
	if fault.CodeOf(err) != fault.Unavailable || fault.ReasonOf(err) != courier.ReasonStopped {
		t.Fatalf("Notify after Stop = %v; want unavailable %s", err, courier.ReasonStopped)
	}
	if err := c.Start(context.Background()); err == nil {
		t.Fatal("Start after Stop succeeded")
	}
	if err := c.Stop(context.Background()); err == nil {
		t.Fatal("a second Stop succeeded")
	}
}

func TestStartTwice(t *testing.T) {
	c := courier.New(&fakeNext{}, courier.Options{})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err == nil {
		t.Fatal("a second Start succeeded")
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStopOutOfTimeCountsWhatIsLeft(t *testing.T) {
	tests := []struct {
		name   string
		answer func(ctx context.Context) error // after the first call is signalled
		queued int
	}{
		// next honours ctx: the delivery under way is cancelled.
		{"delivery under way", func(ctx context.Context) error {
			<-ctx.Done()
			return fault.Wrap(ctx.Err(), fault.Unavailable, "notify.unavailable", "cancelled")
		}, 5},
		// the first message waits for a retry an hour away.
		{"waiting to retry", func(context.Context) error {
			return fault.New(fault.Unavailable, "notify.unavailable", "try later")
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entered := make(chan struct{})
			var once sync.Once
			next := &fakeNext{answer: func(ctx context.Context, _ int) error {
				once.Do(func() { close(entered) })
				return tt.answer(ctx)
			}}
			c := courier.New(next, courier.Options{Workers: 1, Backoff: time.Hour})
			for i := range tt.queued {
				mustNotify(t, c, note(i))
			}
			if err := c.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			<-entered
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := c.Stop(ctx)
			if err == nil || !errors.Is(err, context.Canceled) {
				t.Fatalf("Stop = %v; want an error wrapping context.Canceled", err)
			}
			if want := strconv.Itoa(tt.queued) + " queued messages not delivered"; !strings.Contains(err.Error(), want) {
				t.Fatalf("Stop = %v; want it to say %q", err, want)
			}
			if _, delivered := next.counts(); delivered != 0 {
				t.Fatalf("delivered %d, want 0", delivered)
			}
		})
	}
}

func TestConcurrentNotifyAndStop(t *testing.T) {
	const senders, each = 8, 50
	next := &fakeNext{}
	c := courier.New(next, courier.Options{Workers: 3, QueueSize: senders * each})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				err := c.Notify(context.Background(), note(s*each+i))
				switch {
				case err == nil:
					accepted.Add(1)
				case fault.ReasonOf(err) != courier.ReasonStopped:
					t.Errorf("Notify: %v", err)
				}
			}
		})
	}
	stopped := make(chan error, 1)
	go func() { stopped <- c.Stop(context.Background()) }()
	wg.Wait()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if _, delivered := next.counts(); int64(delivered) != accepted.Load() {
		t.Fatalf("delivered %d of %d accepted", delivered, accepted.Load())
	}
}
