package porttest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// RunUserStore checks the ports.UserStore contract. newStore must return an
// empty store of its own on every call.
func RunUserStore(t *testing.T, newStore func(tb testing.TB) ports.UserStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.UserStore)
	}{
		{"Create assigns Numbers in sequence from 1", userNumbers},
		{"Create then ByID round-trips every field", userRoundTrip},
		{"Create refuses a taken handle", userCreateTaken},
		{"Create refuses a taken ID", userIDTaken},
		{"Empty handles never conflict", userEmptyHandles},
		{"Handles are compared as stored", userHandlesAsStored},
		{"Lookups find by Number and every handle", userLookups},
		{"Lookups of unknown values are NotFound", userLookupsNotFound},
		{"Update replaces but keeps Number and CreatedAt", userUpdate},
		{"Update frees old handles and refuses taken ones", userUpdateHandles},
		{"Update of an absent user is NotFound", userUpdateAbsent},
		{"Create stores Version 1, Update bumps it", userVersionBumps},
		{"Update carrying a stale Version is refused", userStaleRefused},
		{"Concurrent Updates carrying one Version: exactly one wins", userRaceVersion},
		{"List orders by Number with offset and limit", userList},
		{"Delete frees handles", userDelete},
		{"Users are copies", userCopies},
		{"Concurrent Creates with one handle: exactly one wins", userRaceHandle},
		{"Concurrent Creates get distinct Numbers", userRaceNumbers},
		{"Telegram ids are unique handles; zero is none", userTelegramHandle},
		{"Concurrent links of one Telegram id: exactly one wins", userRaceTelegram},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

// fullUser returns a user with every field set, distinct per i.
func fullUser(i int) identity.User {
	return identity.User{
		ID:              fmt.Sprintf("user-%d", i),
		Login:           fmt.Sprintf("login%d", i),
		Email:           fmt.Sprintf("user%d@example.com", i),
		EmailVerified:   true,
		Phone:           fmt.Sprintf("+1555000%04d", i),
		PhoneVerified:   true,
		PasswordHash:    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
		FirstName:       "Ада",
		LastName:        "Lovelace",
		Patronymic:      "Byron",
		Birthday:        "1815-12-10",
		Description:     "first programmer\nline two",
		BackgroundColor: "#1A2B3C",
		Avatar:          "https://cdn.example.com/a.png",
		Locale:          identity.LocaleRU,
		Source:          "felmee",
		Addresses:       []identity.Address{{ID: "a1", Name: "main", Address: "0xabc"}, {ID: "a2", Name: "cold", Address: "bc1q"}},
		Roles:           []string{"user", "admin"},
		Groups:          []string{"beta"},
		TelegramID:      int64(1)<<40 + int64(i),
		Status:          identity.StatusBlocked,
		CreatedAt:       at(i).Add(123 * time.Microsecond), // kept to the microsecond
		UpdatedAt:       at(i + 1),
	}
}

// normUser maps what stores may legitimately vary on (time zone, sub-ms,
// nil versus empty slices) to one form.
func normUser(u identity.User) identity.User {
	u.CreatedAt, u.UpdatedAt = us(u.CreatedAt), ms(u.UpdatedAt)
	if len(u.Addresses) == 0 {
		u.Addresses = nil
	}
	if len(u.Roles) == 0 {
		u.Roles = nil
	}
	if len(u.Groups) == 0 {
		u.Groups = nil
	}
	return u
}

// wantUser fails tb unless got equals want after normalising both.
func wantUser(tb testing.TB, got, want identity.User, what string) {
	tb.Helper()
	if g, w := normUser(got), normUser(want); !reflect.DeepEqual(g, w) {
		tb.Fatalf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func create(tb testing.TB, s ports.UserStore, u identity.User) identity.User {
	tb.Helper()
	got, err := s.Create(tb.Context(), u)
	must(tb, err, "Create "+u.ID)
	return got
}

func userNumbers(t *testing.T, s ports.UserStore) {
	for i := 1; i <= 3; i++ {
		u := fullUser(i)
		u.Number = 99 // the store assigns it
		if got := create(t, s, u); got.Number != int64(i) {
			t.Fatalf("Create #%d: Number %d, want %d", i, got.Number, i)
		}
	}
}

func userRoundTrip(t *testing.T, s ports.UserStore) {
	want := fullUser(1)
	want.Version = 7 // the store sets it
	got := create(t, s, want)
	want.Number, want.Version = got.Number, 1
	wantUser(t, got, want, "Create result")
	byID, err := s.ByID(t.Context(), want.ID)
	must(t, err, "ByID")
	wantUser(t, byID, want, "ByID")

	minimal := identity.User{ID: "minimal", CreatedAt: at(5)}
	got = create(t, s, minimal)
	minimal.Number, minimal.Version = got.Number, 1
	byID, err = s.ByID(t.Context(), "minimal")
	must(t, err, "ByID minimal")
	wantUser(t, byID, minimal, "ByID of a user with only an ID")
}

func userCreateTaken(t *testing.T, s ports.UserStore) {
	create(t, s, fullUser(1))
	tests := []struct {
		name   string
		change func(u *identity.User)
		reason string
	}{
		{"login", func(u *identity.User) { u.Login = "login1" }, identity.ReasonLoginTaken},
		{"email", func(u *identity.User) { u.Email = "user1@example.com" }, identity.ReasonEmailTaken},
		{"phone", func(u *identity.User) { u.Phone = "+15550000001" }, identity.ReasonPhoneTaken},
	}
	for _, tt := range tests {
		u := fullUser(2)
		tt.change(&u)
		_, err := s.Create(t.Context(), u)
		wantFault(t, err, fault.Conflict, tt.reason, "Create with a taken "+tt.name)
		_, err = s.ByID(t.Context(), u.ID)
		wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByID after a refused Create")
	}
}

func userIDTaken(t *testing.T, s ports.UserStore) {
	create(t, s, fullUser(1))
	u := fullUser(2)
	u.ID = "user-1"
	_, err := s.Create(t.Context(), u)
	wantFault(t, err, fault.Conflict, identity.ReasonIDTaken, "Create with a taken ID")
	got, err := s.ByID(t.Context(), "user-1")
	must(t, err, "ByID")
	if got.Login != "login1" {
		t.Fatalf("the refused Create changed the stored user: Login %q", got.Login)
	}
}

func userEmptyHandles(t *testing.T, s ports.UserStore) {
	a := create(t, s, identity.User{ID: "a", Login: "a"})
	b := create(t, s, identity.User{ID: "b", Email: "b@example.com"})
	create(t, s, identity.User{ID: "c"})
	create(t, s, identity.User{ID: "d"})
	a.Login = ""
	must(t, s.Update(t.Context(), a), "Update to an empty login")
	b.Phone = ""
	must(t, s.Update(t.Context(), b), "Update keeping an empty phone")
	for name, find := range handleFinders(s) {
		_, err := find(t, "")
		wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, name+` of ""`)
	}
}

func userHandlesAsStored(t *testing.T, s ports.UserStore) {
	create(t, s, identity.User{ID: "a", Login: "ann", Email: "ann@example.com"})
	create(t, s, identity.User{ID: "b", Login: "Ann", Email: "Ann@example.com"})
	got, err := s.ByLogin(t.Context(), "Ann")
	must(t, err, "ByLogin")
	if got.ID != "b" {
		t.Fatalf(`ByLogin("Ann") found %q, want "b"`, got.ID)
	}
}

// handleFinders returns each lookup by a string handle, by name.
func handleFinders(s ports.UserStore) map[string]func(tb testing.TB, h string) (identity.User, error) {
	return map[string]func(tb testing.TB, h string) (identity.User, error){
		"ByID":    func(tb testing.TB, h string) (identity.User, error) { return s.ByID(tb.Context(), h) },
		"ByLogin": func(tb testing.TB, h string) (identity.User, error) { return s.ByLogin(tb.Context(), h) },
		"ByEmail": func(tb testing.TB, h string) (identity.User, error) { return s.ByEmail(tb.Context(), h) },
		"ByPhone": func(tb testing.TB, h string) (identity.User, error) { return s.ByPhone(tb.Context(), h) },
	}
}

func userLookups(t *testing.T, s ports.UserStore) {
	var want []identity.User
	for i := 1; i <= 3; i++ {
		want = append(want, create(t, s, fullUser(i)))
	}
	for i, w := range want {
		keys := map[string]string{"ByID": w.ID, "ByLogin": w.Login, "ByEmail": w.Email, "ByPhone": w.Phone}
		for name, find := range handleFinders(s) {
			got, err := find(t, keys[name])
			must(t, err, name)
			wantUser(t, got, w, fmt.Sprintf("%s of user %d", name, i))
		}
		got, err := s.ByNumber(t.Context(), w.Number)
		must(t, err, "ByNumber")
		wantUser(t, got, w, fmt.Sprintf("ByNumber of user %d", i))
	}
}

func userLookupsNotFound(t *testing.T, s ports.UserStore) {
	u := create(t, s, fullUser(1))
	for name, find := range handleFinders(s) {
		_, err := find(t, "nobody")
		wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, name)
	}
	for _, n := range []int64{0, -1, u.Number + 1} {
		_, err := s.ByNumber(t.Context(), n)
		wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, fmt.Sprintf("ByNumber(%d)", n))
	}
}
