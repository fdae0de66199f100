package porttest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gatehouse/ports"
)

// deliveryWait bounds how long the broadcast suite waits for a message that
// must arrive. It is a guard against a hung test, not a timing assertion:
// no test passes or fails by how fast a message arrives.
const deliveryWait = 10 * time.Second

// RunBroadcaster checks the ports.Broadcaster contract. newBroadcaster must
// return a broadcaster of its own on every call (own key prefix or
// process), so no other test's messages reach it.
//
// Delivery is at most once by contract, but a subscriber that keeps up
// receives every message of a short burst: the suite requires that much,
// or a broadcaster that drops everything would pass.
func RunBroadcaster(t *testing.T, newBroadcaster func(tb testing.TB) ports.Broadcaster) {
	tests := []struct {
		name string
		run  func(t *testing.T, b ports.Broadcaster)
	}{
		{"Publish reaches every subscriber, the publisher's own included", broadcastFanOut},
		{"A subscriber gets only its channel's messages", broadcastChannels},
		{"A subscriber gets only messages published after Subscribe", broadcastLateJoin},
		{"Payloads round-trip and are copies", broadcastPayloads},
		{"Subscribe ends when its context ends", broadcastEnd},
		{"Publish without subscribers succeeds", broadcastNobody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newBroadcaster(t))
		})
	}
}

func subscribe(tb testing.TB, b ports.Broadcaster, channel string) <-chan []byte {
	tb.Helper()
	ch, err := b.Subscribe(tb.Context(), channel)
	must(tb, err, "Subscribe "+channel)
	return ch
}

func publish(tb testing.TB, b ports.Broadcaster, channel, msg string) {
	tb.Helper()
	must(tb, b.Publish(tb.Context(), channel, []byte(msg)), "Publish "+channel)
}

// receive waits for the next message on ch.
func receive(tb testing.TB, ch <-chan []byte, what string) []byte {
	tb.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			tb.Fatalf("%s: channel closed, want a message", what)
		}
		return m
	case <-time.After(deliveryWait):
		tb.Fatalf("%s: no message within %s", what, deliveryWait)
	}
	return nil
}

func wantMessage(tb testing.TB, ch <-chan []byte, want, what string) {
	tb.Helper()
	if got := receive(tb, ch, what); string(got) != want {
		tb.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

func broadcastFanOut(t *testing.T, b ports.Broadcaster) {
	subs := []<-chan []byte{subscribe(t, b, "inv"), subscribe(t, b, "inv"), subscribe(t, b, "inv")}
	const burst = 8
	for i := range burst {
		publish(t, b, "inv", fmt.Sprint("m", i))
	}
	for s, ch := range subs {
		got := map[string]bool{}
		for range burst {
			got[string(receive(t, ch, fmt.Sprint("subscriber ", s)))] = true
		}
		for i := range burst {
			if !got[fmt.Sprint("m", i)] {
				t.Fatalf("subscriber %d missed m%d; got %v", s, i, got)
			}
		}
	}
}

func broadcastChannels(t *testing.T, b ports.Broadcaster) {
	a, other := subscribe(t, b, "a"), subscribe(t, b, "b")
	publish(t, b, "a", "for a")
	publish(t, b, "b", "for b")
	// Each subscriber's first message proves it got nothing of the other channel before.
	wantMessage(t, a, "for a", "subscriber of a")
	wantMessage(t, other, "for b", "subscriber of b")
	publish(t, b, "A", "other case")
	publish(t, b, "a", "again")
	wantMessage(t, a, "again", "subscriber of a after a publish on A")
}

func broadcastLateJoin(t *testing.T, b ports.Broadcaster) {
	early := subscribe(t, b, "inv")
	publish(t, b, "inv", "before")
	wantMessage(t, early, "before", "early subscriber") // "before" has been delivered
	late := subscribe(t, b, "inv")
	publish(t, b, "inv", "after")
	wantMessage(t, late, "after", "late subscriber")
	wantMessage(t, early, "after", "early subscriber")
}

func broadcastPayloads(t *testing.T, b ports.Broadcaster) {
	ch := subscribe(t, b, "inv")
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	msg := []byte("mutable")
	must(t, b.Publish(t.Context(), "inv", msg), "Publish")
	copy(msg, "XXXXXXX") // must not change what subscribers get
	must(t, b.Publish(t.Context(), "inv", binary), "Publish binary")
	must(t, b.Publish(t.Context(), "inv", []byte{}), "Publish empty")
	var got []string
	for i := range 3 {
		got = append(got, string(receive(t, ch, fmt.Sprint("message ", i))))
	}
	sameSet(t, got, []string{"mutable", string(binary), ""}, "payloads received")
}

func broadcastEnd(t *testing.T, b ports.Broadcaster) {
	ctx, cancel := context.WithCancel(t.Context())
	ch, err := b.Subscribe(ctx, "inv")
	must(t, err, "Subscribe")
	stay := subscribe(t, b, "inv")
	cancel()
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				publish(t, b, "inv", "still here")
				wantMessage(t, stay, "still here", "the other subscriber")
				return
			}
		case <-time.After(deliveryWait):
			t.Fatalf("channel not closed within %s of its context ending", deliveryWait)
		}
	}
}

func broadcastNobody(t *testing.T, b ports.Broadcaster) {
	publish(t, b, "nobody-listens", "hello")
}
