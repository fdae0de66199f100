package usercache

import (
	"testing"
	"time"

	"gatehouse/core/identity"
)

// TestFillOvertaken: a read that began before a write must not put the
// older user in the cache after the write's invalidation arrived.
func TestFillOvertaken(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	v := func(n int64) identity.User { return identity.User{ID: "u1", Number: 7, Version: n} }
	tests := []struct {
		name string
		run  func(l *local) // between begin and fill of version 5
		want int64          // version held afterwards; 0 none
	}{
		{"nothing happened", func(*local) {}, 5},
		{"a write to version 6 was announced", func(l *local) { l.drop("u1", 6, now) }, 0},
		{"an older write was announced", func(l *local) { l.drop("u1", 5, now) }, 5},
		{"the user was deleted", func(l *local) { l.drop("u1", 1<<62, now) }, 0},
		{"a newer copy was filled meanwhile", func(l *local) { l.fill(v(6), l.gen, now) }, 6},
		{"the subscription was lost and found", func(l *local) { l.setSubscribed(false); l.setSubscribed(true) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLocal(10, time.Second)
			l.setSubscribed(true)
			gen, caching := l.begin()
			if !caching {
				t.Fatal("not caching while subscribed")
			}
			tt.run(l)
			l.fill(v(5), gen, now)
			u, ok := l.get(handle{kind: kindID, value: "u1"}, now)
			if got := map[bool]int64{true: u.Version}[ok]; got != tt.want {
				t.Fatalf("holds version %d, want %d", got, tt.want)
			}
			if ok {
				if byNumber, _ := l.get(numberHandle(7), now); byNumber.Version != u.Version {
					t.Fatalf("by Number: version %d, by ID %d", byNumber.Version, u.Version)
				}
			}
		})
	}
}

// TestFloorLastsTheTTL: once the TTL since the write has passed, a copy read
// before it would be expired anyway, so the floor goes.
func TestFloorLastsTheTTL(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	l := newLocal(10, time.Second)
	l.setSubscribed(true)
	l.drop("u1", 6, now)
	later := now.Add(time.Second)
	l.fill(identity.User{ID: "u1", Version: 5}, l.gen, later)
	if _, ok := l.get(handle{kind: kindID, value: "u1"}, later); !ok {
		t.Fatal("a floor outlived the TTL")
	}
}

func TestLocalStaysBounded(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	l := newLocal(100, time.Second)
	l.setSubscribed(true)
	for i := range 1000 {
		l.fill(identity.User{ID: string(rune('a'+i%26)) + string(rune(i)), Number: int64(i)}, l.gen, now)
		l.drop("gone"+string(rune(i)), 2, now)
		if len(l.users) > 100 || len(l.index) > 100 || len(l.floors) > 100 {
			t.Fatalf("after %d fills: %d users, %d index entries, %d floors", i+1, len(l.users), len(l.index), len(l.floors))
		}
		if i%200 == 0 {
			now = now.Add(2 * time.Second)
		}
	}
}
