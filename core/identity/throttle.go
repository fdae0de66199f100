package identity

import "time"

// Backoff is the delay rule after repeated failures: the first Free
// failures cost nothing, then each further one doubles the wait, from Base
// up to Max.
type Backoff struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// Delay is how long to wait after the given number of consecutive
// failures before the next attempt is heard.
func (b Backoff) Delay(failures int) time.Duration {
	n := failures - b.Free
	if n <= 0 || b.Base <= 0 {
		return 0
	}
	d := b.Base
	for i := 1; i < n; i++ {
		if d >= b.Max/2 {
			return b.Max
		}
		d *= 2
	}
	return min(d, b.Max)
}

// Mark is what a failed sign-in leaves for the next attempt: how many
// failures in a row it ended and the instant before which the next attempt
// is refused.
type Mark struct {
	Failures int
	Until    time.Time
}

// After returns the mark the failure that brought the count to failures
// leaves at now, and false when it leaves none because it was free.
func (b Backoff) After(failures int, now time.Time) (Mark, bool) {
	d := b.Delay(failures)
	if d <= 0 {
		return Mark{}, false
	}
	return Mark{Failures: failures, Until: now.Add(d)}, true
}

// Admit decides whether the n-th attempt in a row may be heard at now.
// Attempts are numbered as they are reserved, before their password is
// checked, and each is taken to fail until it succeeds; last is the latest
// mark a failure left. The attempts the free failures leave room for are
// heard at once, however many run in parallel. A later one is heard only
// once the attempt before it has failed and left its mark, and that mark's
// wait is over: so of a burst, the attempts beyond the free ones are
// refused rather than checked while the earlier ones still are. When
// refused, wait is how long the caller is told to wait (at least the delay
// the attempt before it will earn).
func (b Backoff) Admit(n int, last Mark, now time.Time) (wait time.Duration, ok bool) {
	before := b.Delay(n - 1)
	if before <= 0 {
		return 0, true
	}
	if last.Failures != n-1 {
		return before, false // the attempt before is still being checked
	}
	if w := last.Until.Sub(now); w > 0 {
		return w, false
	}
	return 0, true
}

// Wait returns how long from now until the latest of untils, or zero when
// they have all passed: of several waits the longest holds, so one never
// shortens another.
func Wait(now time.Time, untils ...time.Time) time.Duration {
	var w time.Duration
	for _, u := range untils {
		w = max(w, u.Sub(now))
	}
	return w
}
