package memstore

import "time"

// realClock is the wall clock, used when NewCache gets no clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
