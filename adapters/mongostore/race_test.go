package mongostore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"gatehouse/adapters/mongostore"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/core/sessions"
)

// racers is how many goroutines each race runs; the embedded server must
// hold its guarantees under it (DESIGN.md §4 measured 6 to 16 winners of
// unserialized conditional updates at this level).
const racers = 16

// race runs f(0..racers-1) in goroutines released together.
func race(f func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func TestRaceUpdateToOneEmail(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewUserStore(c)
	for i := range racers {
		if _, err := s.Create(t.Context(), identity.User{ID: fmt.Sprint(i), Email: fmt.Sprintf("%d@example.com", i)}); err != nil {
			t.Fatalf("Create: %v", err)
		}
	}
	errs := race(func(i int) error {
		return s.Update(t.Context(), identity.User{ID: fmt.Sprint(i), Version: 1, Email: "same@example.com"})
	})
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case fault.ReasonOf(err) != "identity.email_taken":
			t.Fatalf("Update %d: %v, want nil or email_taken", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d Updates to one email succeeded, want 1", winners)
	}
	list, err := s.List(t.Context(), 0, 100)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	showing := 0
	for _, u := range list {
		if u.Email == "same@example.com" {
			showing++
		}
	}
	if showing != 1 {
		t.Fatalf("%d users show the raced email, want 1", showing)
	}
}

func TestRaceRevokeFamilyKeepsOneRevocation(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewSessionStore(c)
	base := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.CreateFamily(t.Context(), sessions.Family{ID: "f", UserID: "u", CreatedAt: base}); err != nil {
		t.Fatalf("CreateFamily: %v", err)
	}
	errs := race(func(i int) error {
		return s.RevokeFamily(t.Context(), "f", base.Add(time.Duration(i+1)*time.Minute), fmt.Sprintf("reason-%d", i))
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("RevokeFamily %d: %v", i, err)
		}
	}
	f, err := s.Family(t.Context(), "f")
	if err != nil {
		t.Fatalf("Family: %v", err)
	}
	var i int
	if _, err := fmt.Sscanf(f.Reason, "reason-%d", &i); err != nil || !f.RevokedAt.Equal(base.Add(time.Duration(i+1)*time.Minute)) {
		t.Fatalf("revoked at %v for %q: not one call's revocation", f.RevokedAt, f.Reason)
	}
}

func TestRaceRevokeUserFamiliesReportsEachOnce(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewSessionStore(c)
	var want []string
	for i := range 10 {
		id := fmt.Sprintf("f%d", i)
		want = append(want, id)
		if err := s.CreateFamily(t.Context(), sessions.Family{ID: id, UserID: "u"}); err != nil {
			t.Fatalf("CreateFamily: %v", err)
		}
	}
	var mu sync.Mutex
	var got []string
	errs := race(func(int) error {
		ids, err := s.RevokeUserFamilies(t.Context(), "u", time.Now(), "password")
		mu.Lock()
		got = append(got, ids...)
		mu.Unlock()
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("RevokeUserFamilies %d: %v", i, err)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("families reported revoked %q, want each of %q once", got, want)
	}
}

func TestRaceSaveDeviceKeepsOne(t *testing.T) {
	c, _ := newClient(t)
	s := mongostore.NewSessionStore(c)
	errs := race(func(i int) error {
		return s.SaveDevice(t.Context(), sessions.Device{ID: "d", UserID: "u", Name: fmt.Sprint(i)})
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("SaveDevice %d: %v", i, err)
		}
	}
	ds, err := s.Devices(t.Context(), "u")
	if err != nil || len(ds) != 1 {
		t.Fatalf("Devices = %d, %v; want 1", len(ds), err)
	}
}
