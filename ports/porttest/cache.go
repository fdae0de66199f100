package porttest

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/ports"
)

// CacheHarness builds caches for RunCache.
type CacheHarness struct {
	// New returns an empty cache of its own, released in tb.Cleanup.
	New func(tb testing.TB) ports.Cache
	// Advance moves the time of the cache New made for tb by d: a fake
	// clock, miniredis's FastForward, or a real sleep.
	Advance func(tb testing.TB, d time.Duration)
}

// Expiry tests give short-lived keys ttl and then Advance by 2*ttl; long
// never runs out within a test. ttl is seconds, not milliseconds, because
// under a real clock (a real Redis) the calls made before the Advance must
// finish well within ttl even on a loaded machine.
const (
	ttl  = 2 * time.Second
	long = time.Hour
)

// RunCache checks the ports.Cache contract.
func RunCache(t *testing.T, h CacheHarness) {
	tests := []struct {
		name string
		run  func(t *testing.T, h CacheHarness, c ports.Cache)
	}{
		{"Get of an absent key is nil and false", cacheAbsent},
		{"Set then Get round-trips any bytes", cacheRoundTrip},
		{"Set replaces the value and the expiry", cacheReplace},
		{"Entries expire after their ttl", cacheExpiry},
		{"Values are copies", cacheCopies},
		{"SetNX stores only when absent or expired", cacheSetNX},
		{"Concurrent SetNX: exactly one true", cacheSetNXRace},
		{"Incr counts from zero and sets ttl on create", cacheIncr},
		{"Incr keeps an existing key's expiry", cacheIncrKeepsExpiry},
		{"Incr of a non-integer is Invalid", cacheIncrNotInteger},
		{"Concurrent Incr: exact total", cacheIncrRace},
		{"Delete removes keys and ignores absent ones", cacheDelete},
		{"Ping answers", cachePing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, h, h.New(t))
		})
	}
}

func get(tb testing.TB, c ports.Cache, key string) ([]byte, bool) {
	tb.Helper()
	v, ok, err := c.Get(tb.Context(), key)
	must(tb, err, "Get "+key)
	if !ok && v != nil {
		tb.Fatalf("Get %q: absent but value %q, want nil", key, v)
	}
	return v, ok
}

func wantValue(tb testing.TB, c ports.Cache, key, want string) {
	tb.Helper()
	v, ok := get(tb, c, key)
	if !ok || string(v) != want {
		tb.Fatalf("Get %q: %q, %v; want %q, true", key, v, ok, want)
	}
}

func wantAbsent(tb testing.TB, c ports.Cache, key string) {
	tb.Helper()
	if v, ok := get(tb, c, key); ok {
		tb.Fatalf("Get %q: %q, true; want absent", key, v)
	}
}

func set(tb testing.TB, c ports.Cache, key, value string, ttl time.Duration) {
	tb.Helper()
	must(tb, c.Set(tb.Context(), key, []byte(value), ttl), "Set "+key)
}

func cacheAbsent(t *testing.T, _ CacheHarness, c ports.Cache) {
	wantAbsent(t, c, "nothing")
	set(t, c, "k", "v", 0)
	wantAbsent(t, c, "K")
	wantAbsent(t, c, "k ")
}

func cacheRoundTrip(t *testing.T, _ CacheHarness, c ports.Cache) {
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	values := map[string][]byte{
		"plain":              []byte("hello"),
		"empty":              {},
		"binary":             binary,
		"rl:ip:192.0.2.1":    []byte("3"),
		"ключ with spaces ✓": []byte("значение"),
	}
	for k, v := range values {
		must(t, c.Set(t.Context(), k, v, long), "Set "+k)
	}
	for k, want := range values {
		got, ok := get(t, c, k)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("Get %q: %q, %v; want %q, true", k, got, ok, want)
		}
	}
}

func cacheReplace(t *testing.T, h CacheHarness, c ports.Cache) {
	set(t, c, "k", "one", 0)
	set(t, c, "k", "two", long)
	wantValue(t, c, "k", "two")
	set(t, c, "short", "one", ttl)
	set(t, c, "short", "two", 0) // no ttl: the earlier expiry is gone
	set(t, c, "gone", "one", 0)
	set(t, c, "gone", "two", ttl) // a ttl now applies
	h.Advance(t, 2*ttl)
	wantValue(t, c, "short", "two")
	wantAbsent(t, c, "gone")
	wantValue(t, c, "k", "two")
}

func cacheExpiry(t *testing.T, h CacheHarness, c ports.Cache) {
	set(t, c, "short", "v", ttl)
	set(t, c, "long", "v", long)
	set(t, c, "forever", "v", 0)
	wantValue(t, c, "short", "v")
	h.Advance(t, 2*ttl)
	wantAbsent(t, c, "short")
	wantValue(t, c, "long", "v")
	wantValue(t, c, "forever", "v")
	set(t, c, "short", "again", long)
	wantValue(t, c, "short", "again")
}

func cacheCopies(t *testing.T, _ CacheHarness, c ports.Cache) {
	in := []byte("value")
	must(t, c.Set(t.Context(), "k", in, 0), "Set")
	in[0] = 'X'
	got, _ := get(t, c, "k")
	got[1] = 'Y'
	wantValue(t, c, "k", "value")
}

func cacheSetNX(t *testing.T, h CacheHarness, c ports.Cache) {
	steps := []struct {
		key, value string
		ttl        time.Duration
		want       bool
	}{
		{"k", "first", ttl, true},
		{"k", "second", long, false},
		{"other", "x", 0, true},
		{"other", "y", 0, false},
	}
	for _, s := range steps {
		ok, err := c.SetNX(t.Context(), s.key, []byte(s.value), s.ttl)
		must(t, err, "SetNX")
		if ok != s.want {
			t.Fatalf("SetNX(%q, %q) = %v, want %v", s.key, s.value, ok, s.want)
		}
	}
	wantValue(t, c, "k", "first")
	wantValue(t, c, "other", "x")
	h.Advance(t, 2*ttl)
	wantAbsent(t, c, "k") // the losing SetNX did not extend the expiry
	ok, err := c.SetNX(t.Context(), "k", []byte("third"), 0)
	must(t, err, "SetNX after expiry")
	if !ok {
		t.Fatalf("SetNX of an expired key = false, want true")
	}
	wantValue(t, c, "k", "third")
}

func cacheSetNXRace(t *testing.T, _ CacheHarness, c ports.Cache) {
	wins := make([]bool, racers)
	errs := race(racers, func(i int) error {
		var err error
		wins[i], err = c.SetNX(t.Context(), "lock", []byte(strconv.Itoa(i)), long)
		return err
	})
	winner := -1
	for i, err := range errs {
		must(t, err, "SetNX")
		if wins[i] {
			if winner >= 0 {
				t.Fatalf("SetNX %d and %d both returned true", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no SetNX returned true")
	}
	wantValue(t, c, "lock", strconv.Itoa(winner))
}

func incr(tb testing.TB, c ports.Cache, key string, delta int64, ttl time.Duration, want int64) {
	tb.Helper()
	n, err := c.Incr(tb.Context(), key, delta, ttl)
	must(tb, err, "Incr "+key)
	if n != want {
		tb.Fatalf("Incr(%q, %d) = %d, want %d", key, delta, n, want)
	}
}

func cacheIncr(t *testing.T, h CacheHarness, c ports.Cache) {
	incr(t, c, "n", 1, 0, 1)
	incr(t, c, "n", 41, 0, 42)
	incr(t, c, "n", -50, 0, -8)
	wantValue(t, c, "n", "-8")
	set(t, c, "s", "41", 0)
	incr(t, c, "s", 1, ttl, 42) // existing key without expiry keeps none
	wantValue(t, c, "s", "42")
	incr(t, c, "t", 5, ttl, 5)
	h.Advance(t, 2*ttl)
	wantAbsent(t, c, "t")
	wantValue(t, c, "s", "42")
	incr(t, c, "t", 5, 0, 5) // expired counts as absent
}

func cacheIncrKeepsExpiry(t *testing.T, h CacheHarness, c ports.Cache) {
	incr(t, c, "n", 1, ttl, 1)
	incr(t, c, "n", 1, long, 2)
	set(t, c, "s", "10", ttl)
	incr(t, c, "s", 1, long, 11)
	h.Advance(t, 2*ttl)
	wantAbsent(t, c, "n")
	wantAbsent(t, c, "s")
}

func cacheIncrNotInteger(t *testing.T, _ CacheHarness, c ports.Cache) {
	for _, v := range []string{"abc", "", "1.5", " 1", "9223372036854775808"} {
		key := fmt.Sprintf("bad:%q", v)
		set(t, c, key, v, 0)
		_, err := c.Incr(t.Context(), key, 1, 0)
		wantFault(t, err, fault.Invalid, "cache.not_integer", fmt.Sprintf("Incr of %q", v))
		wantValue(t, c, key, v)
	}
}

func cacheIncrRace(t *testing.T, _ CacheHarness, c ports.Cache) {
	const n = 50
	results := make([]int64, n)
	errs := race(n, func(i int) error {
		var err error
		results[i], err = c.Incr(t.Context(), "hits", 1, long)
		return err
	})
	seen := map[int64]bool{}
	for i, err := range errs {
		must(t, err, "Incr")
		if seen[results[i]] || results[i] < 1 || results[i] > n {
			t.Fatalf("concurrent Incr results %v: want 1..%d each once", results, n)
		}
		seen[results[i]] = true
	}
	wantValue(t, c, "hits", strconv.Itoa(n))
}

func cacheDelete(t *testing.T, _ CacheHarness, c ports.Cache) {
	for _, k := range []string{"a", "b", "c"} {
		set(t, c, k, "v", 0)
	}
	must(t, c.Delete(t.Context(), "a", "absent", "c"), "Delete")
	must(t, c.Delete(t.Context()), "Delete of no keys")
	must(t, c.Delete(t.Context(), "absent"), "Delete of an absent key")
	wantAbsent(t, c, "a")
	wantAbsent(t, c, "c")
	wantValue(t, c, "b", "v")
	ok, err := c.SetNX(t.Context(), "a", []byte("new"), 0)
	must(t, err, "SetNX after Delete")
	if !ok {
		t.Fatalf("SetNX after Delete = false, want true")
	}
}

func cachePing(t *testing.T, _ CacheHarness, c ports.Cache) {
	must(t, c.Ping(t.Context()), "Ping")
}
