// Package porttest holds the contract suites of gatehouse's driven ports.
// Every adapter's tests run the suite of each port it implements, so the
// in-memory adapters and the database adapters are proven to behave alike.
//
// Each suite runs its subtests in parallel, names them after the contract
// they check, and asks the factory for a fresh, isolated instance in every
// subtest (own database, key prefix or server; released in tb.Cleanup).
// Times are compared at millisecond precision in UTC, the precision every
// store keeps. Clock is the settable ports.Clock the tests of every layer share.
package porttest

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"gatehouse/core/fault"
)

// racers is how many goroutines race in the concurrency contracts.
const racers = 16

// base is a fixed instant at millisecond precision; tests derive times from
// it so that every store can keep them exactly.
var base = time.Date(2025, time.March, 14, 9, 26, 53, 589_000_000, time.UTC)

// at returns base moved by n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// us normalises a time to what a store must give back where microseconds
// count (a user's CreatedAt, which contract 004 shows): UTC, microseconds.
func us(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// ms is t as stores keep most times: UTC, to the millisecond.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// wantFault fails tb unless err carries code and reason.
func wantFault(tb testing.TB, err error, code fault.Code, reason, what string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("%s: got nil error, want %s %s", what, code, reason)
	}
	if fault.CodeOf(err) != code || fault.ReasonOf(err) != reason {
		tb.Fatalf("%s: got %v (code %q reason %q), want code %q reason %q",
			what, err, fault.CodeOf(err), fault.ReasonOf(err), code, reason)
	}
}

// must fails tb when err is not nil.
func must(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// race runs f(0..n-1) in n goroutines released at once and returns their errors.
func race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner fails tb unless exactly one of errs is nil and every other one
// carries code and reason.
func oneWinner(tb testing.TB, errs []error, code fault.Code, reason string) int {
	tb.Helper()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				tb.Fatalf("calls %d and %d both succeeded, want exactly one", winner, i)
			}
			winner = i
			continue
		}
		wantFault(tb, err, code, reason, fmt.Sprintf("losing call %d", i))
	}
	if winner < 0 {
		tb.Fatalf("no call succeeded, want exactly one")
	}
	return winner
}

// sameSet fails tb unless got and want hold the same strings in any order.
func sameSet(tb testing.TB, got, want []string, what string) {
	tb.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		tb.Fatalf("%s: got %q, want %q (any order)", what, got, want)
	}
}
