package authv1_test

import (
	"context"
	"net/url"
	"sync"
	"testing"

	"gatehouse/ports"
)

// outbox is a ports.Notifier that keeps what it is asked to deliver, so
// tests read the reset link a user would get by email.
type outbox struct {
	mu   sync.Mutex
	sent []ports.Notification
}

// Notify implements ports.Notifier.
func (o *outbox) Notify(_ context.Context, n ports.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, n)
	return nil
}

// count returns how many notifications went out.
func (o *outbox) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.sent)
}

// linkPath returns the path of the link in the last notification to
// recipient, which must exist.
func (o *outbox) linkPath(tb testing.TB, recipient string) string {
	tb.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.sent) - 1; i >= 0; i-- {
		if n := o.sent[i]; n.Recipient == recipient {
			u, err := url.Parse(n.Link)
			if err != nil || u.Path == "" {
				tb.Fatalf("notification %+v has no usable link: %v", n, err)
			}
			return u.EscapedPath()
		}
	}
	tb.Fatalf("nothing was sent to %s (sent: %+v)", recipient, o.sent)
	return ""
}
