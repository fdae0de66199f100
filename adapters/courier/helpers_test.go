package courier_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// fakeNext is the notifier behind the courier: answer decides the outcome
// of each call (numbered from 1); a nil answer delivers.
type fakeNext struct {
	answer func(ctx context.Context, call int) error

	mu        sync.Mutex
	calls     int
	delivered []ports.Notification
}

func (f *fakeNext) Notify(ctx context.Context, n ports.Notification) error {
	f.mu.Lock()
	f.calls++
	call := f.calls
	f.mu.Unlock()
	var err error
	if f.answer != nil {
		err = f.answer(ctx, call)
	}
	if err == nil {
		f.mu.Lock()
		f.delivered = append(f.delivered, n)
		f.mu.Unlock()
	}
	return err
}

func (f *fakeNext) counts() (calls, delivered int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, len(f.delivered)
}

// recipients returns the set of recipients delivered to.
func (f *fakeNext) recipients() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, n := range f.delivered {
		out[n.Recipient]++
	}
	return out
}

// note returns the i-th test notification, carrying a secret code and link.
func note(i int) ports.Notification {
	code := fmt.Sprintf("secret-code-%d", i)
	return ports.Notification{
		Channel: "email", Recipient: fmt.Sprintf("user%d@example.com", i), Locale: identity.LocaleEN,
		Purpose: identity.PurposePasswordReset, Code: code, Link: "https://id.example.com/v1/user/confirm/" + code,
	}
}

// mustNotify queues n, failing the test on an error.
func mustNotify(tb testing.TB, c interface {
	Notify(context.Context, ports.Notification) error
}, n ports.Notification) {
	tb.Helper()
	if err := c.Notify(context.Background(), n); err != nil {
		tb.Fatalf("Notify(%s): %v", n.Recipient, err)
	}
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLog returns a logger at level writing to a fresh buffer.
func newLog(level slog.Level) (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: level})), buf
}
