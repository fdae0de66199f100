package courier_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/courier"
	"gatehouse/core/fault"
)

func TestNotifyReturnsBeforeDelivery(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	next := &fakeNext{answer: func(context.Context, int) error {
		close(entered)
		<-release
		return nil
	}}
	c := courier.New(next, courier.Options{Workers: 1})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustNotify(t, c, note(1)) // returns although next blocks
	<-entered
	if _, delivered := next.counts(); delivered != 0 {
		t.Fatal("delivered before next returned")
	}
	close(release)
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, delivered := next.counts(); delivered != 1 {
		t.Fatalf("delivered %d, want 1", delivered)
	}
}

func TestWorkersDeliverEverything(t *testing.T) {
	const workers, n = 4, 100
	// The first calls wait for one another: they finish only if that many
	// workers deliver at once.
	var mu sync.Mutex
	waiting := 0
	allIn := make(chan struct{})
	next := &fakeNext{answer: func(_ context.Context, call int) error {
		if call > workers {
			return nil
		}
		mu.Lock()
		if waiting++; waiting == workers {
			close(allIn)
		}
		mu.Unlock()
		<-allIn
		return nil
	}}
	c := courier.New(next, courier.Options{Workers: workers})
	for i := range n {
		mustNotify(t, c, note(i))
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := next.recipients()
	for i := range n {
		if r := note(i).Recipient; got[r] != 1 {
			t.Errorf("%s got %d deliveries, want 1", r, got[r])
		}
	}
	if len(got) != n {
		t.Errorf("delivered to %d recipients, want %d", len(got), n)
	}
}

func TestRetries(t *testing.T) {
	unavailable := fault.New(fault.Unavailable, "notify.unavailable", "try later")
	badRecipient := fault.New(fault.Invalid, "notify.bad_recipient", "no such mailbox")
	tests := []struct {
		name          string
		failures      int   // calls that fail before one succeeds
		err           error // what they fail with
		wantCalls     int
		wantDelivered int
		wantReason    string // in the one warning; "" for none
	}{
		{"first try", 0, nil, 1, 1, ""},
		{"retry then success", 1, unavailable, 2, 1, ""},
		{"last attempt succeeds", 2, unavailable, 3, 1, ""},
		{"give up after attempts", 10, unavailable, 3, 0, "reason=notify.unavailable"},
		{"no retry on bad recipient", 10, badRecipient, 1, 0, "reason=notify.bad_recipient"},
		{"no retry on unclassified", 10, errors.New("template broken"), 1, 0, "fault=internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &fakeNext{answer: func(_ context.Context, call int) error {
				if call <= tt.failures {
					return tt.err
				}
				return nil
			}}
			log, buf := newLog(slog.LevelInfo)
			c := courier.New(next, courier.Options{Workers: 1, Attempts: 3, Backoff: time.Nanosecond, Log: log})
			if err := c.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			n := note(1)
			mustNotify(t, c, n)
			if err := c.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
			if calls, delivered := next.counts(); calls != tt.wantCalls || delivered != tt.wantDelivered {
				t.Fatalf("calls %d, delivered %d; want %d, %d", calls, delivered, tt.wantCalls, tt.wantDelivered)
			}
			logs := buf.String()
			if tt.wantReason == "" {
				if logs != "" {
					t.Fatalf("logged on success:\n%s", logs)
				}
				return
			}
			lines := strings.Split(strings.TrimSpace(logs), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], tt.wantReason) ||
				!strings.Contains(lines[0], fmt.Sprintf("attempts=%d", tt.wantCalls)) {
				t.Fatalf("want one warning with %s, got:\n%s", tt.wantReason, logs)
			}
			for _, secret := range []string{n.Code, n.Link, n.Recipient} {
				if strings.Contains(logs, secret) {
					t.Fatalf("the log holds %q:\n%s", secret, logs)
				}
			}
		})
	}
}

func TestDebugLogNamesRecipientNotSecrets(t *testing.T) {
	next := &fakeNext{answer: func(context.Context, int) error {
		return fault.New(fault.Invalid, "notify.bad_recipient", "no such mailbox")
	}}
	log, buf := newLog(slog.LevelDebug)
	c := courier.New(next, courier.Options{Log: log})
	n := note(1)
	mustNotify(t, c, n)
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, n.Recipient) {
		t.Fatalf("the debug log does not name the recipient:\n%s", logs)
	}
	if strings.Contains(logs, n.Code) {
		t.Fatalf("the log holds the code:\n%s", logs)
	}
}
