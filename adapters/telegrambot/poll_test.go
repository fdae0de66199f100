package telegrambot_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// eventually waits for cond, failing after a generous bound: the pollers
// run on their own.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOnePollerAtATime runs two replicas' pollers on one cache: one polls,
// the other waits; a clean stop cancels the long poll and hands over at
// once, and no update is applied twice across the handover.
func TestOnePollerAtATime(t *testing.T) {
	f := newFixture(t)
	other := f.newBot(t, f.cache)
	ann := f.account(t, "ann")
	f.api.push(message(1, 100, "en", "/start "+f.linkToken(t, ann.ID)))

	a, b := f.bot.NewPoller("replica-a"), other.NewPoller("replica-b")
	a.Start()
	b.Start()
	t.Cleanup(func() { _ = a.Stop(context.Background()); _ = b.Stop(context.Background()) })

	eventually(t, "the update is applied", func() bool { return f.user(t, ann.ID).TelegramID == 100 })
	holder, standby := a, b
	if b.Polls() > 0 {
		holder, standby = b, a
	}
	if holder.Polls() == 0 || standby.Polls() != 0 {
		t.Fatalf("getUpdates calls: %d and %d, want one poller", holder.Polls(), standby.Polls())
	}
	if c := f.api.last(t, "getUpdates"); c.form["allowed_updates"] != `["message","callback_query"]` || c.form["timeout"] != "2" {
		t.Fatalf("getUpdates form %v", c.form)
	}

	eventually(t, "a long poll is waiting", func() bool { return f.api.count("getUpdates") >= 2 })
	if err := holder.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.api.cancelled: // the stop cancelled the poll in flight
	case <-time.After(15 * time.Second):
		t.Fatal("the stop did not end the long poll")
	}

	f.api.push(message(2, 100, "en", "/me"))
	eventually(t, "the standby takes over", func() bool { return standby.Polls() > 0 })
	eventually(t, "/me is answered", func() bool { return strings.Contains(f.lastText(t, 100), "<b>ann</b>") })
	linked := 0
	for _, c := range f.api.sent(100) {
		if strings.Contains(c.form["text"], "now linked") {
			linked++
		}
	}
	if linked != 1 {
		t.Fatalf("the /start update was applied %d times", linked)
	}
	if c := f.api.last(t, "getUpdates"); c.form["offset"] != "3" {
		t.Fatalf("the new holder did not go on from the confirmed offset: %v", c.form)
	}
}

// TestConflictIsWaitedOut: while Telegram answers 409 (another bot
// instance, or a webhook), the poller keeps trying and applies nothing.
func TestConflictIsWaitedOut(t *testing.T) {
	f := newFixture(t)
	f.api.mu.Lock()
	f.api.conflict = true
	f.api.mu.Unlock()
	p := f.bot.NewPoller("replica-a")
	p.Start()
	eventually(t, "a poll", func() bool { return p.Polls() > 0 })
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.api.count("deleteWebhook") == 0 {
		t.Fatal("polling began without deleteWebhook")
	}
}
