package identity_test

import (
	"testing"
	"time"

	"gatehouse/core/identity"
)

func TestBackoffAdmit(t *testing.T) {
	b := identity.Backoff{Free: 2, Base: time.Second, Max: time.Minute}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		n        int
		last     identity.Mark
		wantOK   bool
		wantWait time.Duration
	}{
		{"first", 1, identity.Mark{}, true, 0},
		{"last free attempt", 3, identity.Mark{}, true, 0},
		{"the attempt before is being checked", 4, identity.Mark{}, false, time.Second},
		{"further in a burst", 6, identity.Mark{}, false, 4 * time.Second},
		{"mark of the attempt before, wait over", 4, identity.Mark{Failures: 3, Until: now}, true, 0},
		{"mark of the attempt before, wait on", 4, identity.Mark{Failures: 3, Until: now.Add(300 * time.Millisecond)}, false, 300 * time.Millisecond},
		{"an older mark", 5, identity.Mark{Failures: 3, Until: now.Add(-time.Hour)}, false, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, ok := b.Admit(tt.n, tt.last, now)
			if ok != tt.wantOK || wait != tt.wantWait {
				t.Fatalf("Admit(%d, %+v) = %v, %v; want %v, %v", tt.n, tt.last, wait, ok, tt.wantWait, tt.wantOK)
			}
		})
	}
}

func TestBackoffAfter(t *testing.T) {
	b := identity.Backoff{Free: 2, Base: time.Second, Max: time.Minute}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if m, ok := b.After(2, now); ok {
		t.Fatalf("a free failure left %+v", m)
	}
	if m, ok := b.After(4, now); !ok || m != (identity.Mark{Failures: 4, Until: now.Add(2 * time.Second)}) {
		t.Fatalf("After(4) = %+v, %v; want 4 failures until +2s", m, ok)
	}
}

func TestWaitTakesTheLongest(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		untils []time.Time
		want   time.Duration
	}{
		{nil, 0},
		{[]time.Time{{}}, 0},
		{[]time.Time{now.Add(-time.Second)}, 0},
		{[]time.Time{now.Add(time.Hour), now.Add(time.Minute)}, time.Hour},
		{[]time.Time{now.Add(time.Minute), now.Add(time.Hour)}, time.Hour},
	}
	for _, tt := range tests {
		if got := identity.Wait(now, tt.untils...); got != tt.want {
			t.Errorf("Wait(%v) = %v, want %v", tt.untils, got, tt.want)
		}
	}
}
