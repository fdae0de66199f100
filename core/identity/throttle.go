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
