package porttest

import (
	"fmt"
	"slices"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func userUpdate(t *testing.T, s ports.UserStore) {
	created := create(t, s, fullUser(1))
	create(t, s, fullUser(2))
	next := fullUser(3)
	next.ID = created.ID
	next.Version = created.Version
	next.Number = 77
	next.CreatedAt = at(100)
	next.Roles = nil
	next.Addresses = []identity.Address{{ID: "z", Name: "new", Address: "0xdef"}}
	next.Status = identity.StatusActive
	next.EmailVerified = false
	must(t, s.Update(t.Context(), next), "Update")

	want := next
	want.Number, want.CreatedAt, want.Version = created.Number, created.CreatedAt, created.Version+1
	got, err := s.ByID(t.Context(), created.ID)
	must(t, err, "ByID")
	wantUser(t, got, want, "ByID after Update")
	got, err = s.ByNumber(t.Context(), created.Number)
	must(t, err, "ByNumber")
	wantUser(t, got, want, "ByNumber after Update")
	_, err = s.ByNumber(t.Context(), 77)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByNumber of the Number Update ignored")
	must(t, s.Update(t.Context(), want), "Update keeping its own handles")
}

func userUpdateHandles(t *testing.T, s ports.UserStore) {
	a := create(t, s, fullUser(1))
	b := create(t, s, fullUser(2))
	tests := []struct {
		name   string
		change func(u *identity.User)
		reason string
	}{
		{"login", func(u *identity.User) { u.Login = b.Login }, identity.ReasonLoginTaken},
		{"email", func(u *identity.User) { u.Email = b.Email }, identity.ReasonEmailTaken},
		{"phone", func(u *identity.User) { u.Phone = b.Phone }, identity.ReasonPhoneTaken},
	}
	for _, tt := range tests {
		u := a
		tt.change(&u)
		wantFault(t, s.Update(t.Context(), u), fault.Conflict, tt.reason, "Update to a taken "+tt.name)
	}
	got, err := s.ByID(t.Context(), a.ID)
	must(t, err, "ByID")
	wantUser(t, got, a, "user after refused Updates")

	moved := a
	moved.Login, moved.Email, moved.Phone = "renamed", "renamed@example.com", "+15559999999"
	must(t, s.Update(t.Context(), moved), "Update to free handles")
	moved.Version++
	for name, find := range map[string]func() (identity.User, error){
		"ByLogin old": func() (identity.User, error) { return s.ByLogin(t.Context(), a.Login) },
		"ByEmail old": func() (identity.User, error) { return s.ByEmail(t.Context(), a.Email) },
		"ByPhone old": func() (identity.User, error) { return s.ByPhone(t.Context(), a.Phone) },
	} {
		_, err := find()
		wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, name)
	}
	got, err = s.ByEmail(t.Context(), "renamed@example.com")
	must(t, err, "ByEmail new")
	wantUser(t, got, moved, "ByEmail new")

	c := fullUser(3)
	c.Login, c.Email, c.Phone = a.Login, a.Email, a.Phone
	create(t, s, c) // the handles a gave up are free again
}

func userUpdateAbsent(t *testing.T, s ports.UserStore) {
	create(t, s, fullUser(1))
	u := fullUser(2)
	wantFault(t, s.Update(t.Context(), u), fault.NotFound, identity.ReasonUserNotFound, "Update of an absent user")
	_, err := s.ByID(t.Context(), u.ID)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByID after Update of an absent user")
}

func userList(t *testing.T, s ports.UserStore) {
	var numbers []int64
	for i := 1; i <= 5; i++ {
		numbers = append(numbers, create(t, s, fullUser(i)).Number)
	}
	must(t, s.Delete(t.Context(), "user-3"), "Delete")
	numbers = slices.Delete(numbers, 2, 3)
	tests := []struct {
		offset, limit int
		want          []int64
	}{
		{0, 10, numbers},
		{0, 2, numbers[:2]},
		{1, 2, numbers[1:3]},
		{3, 10, numbers[3:]},
		{4, 10, nil},
		{10, 10, nil},
	}
	for _, tt := range tests {
		got, err := s.List(t.Context(), tt.offset, tt.limit)
		must(t, err, "List")
		var gotN []int64
		for _, u := range got {
			gotN = append(gotN, u.Number)
		}
		if !slices.Equal(gotN, tt.want) {
			t.Fatalf("List(%d, %d): Numbers %v, want %v", tt.offset, tt.limit, gotN, tt.want)
		}
	}
	got, err := s.List(t.Context(), 0, 1)
	must(t, err, "List")
	want, err := s.ByID(t.Context(), "user-1")
	must(t, err, "ByID")
	wantUser(t, got[0], want, "List entry")
}

func userDelete(t *testing.T, s ports.UserStore) {
	u := create(t, s, fullUser(1))
	keep := create(t, s, fullUser(2))
	must(t, s.Delete(t.Context(), u.ID), "Delete")
	_, err := s.ByID(t.Context(), u.ID)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByID after Delete")
	_, err = s.ByNumber(t.Context(), u.Number)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByNumber after Delete")
	_, err = s.ByEmail(t.Context(), u.Email)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByEmail after Delete")
	wantFault(t, s.Delete(t.Context(), u.ID), fault.NotFound, identity.ReasonUserNotFound, "second Delete")
	if _, err := s.ByID(t.Context(), keep.ID); err != nil {
		t.Fatalf("Delete removed another user: %v", err)
	}
	again := create(t, s, fullUser(1)) // same ID and handles, now free
	if again.Number == u.Number || again.Number == keep.Number {
		t.Fatalf("re-created user got Number %d, already used", again.Number)
	}
}

func userCopies(t *testing.T, s ports.UserStore) {
	in := fullUser(1)
	want := fullUser(1)
	out := create(t, s, in)
	want.Number, want.Version = out.Number, out.Version
	in.Roles[0], in.Groups[0], in.Addresses[0].Name = "mutated", "mutated", "mutated"
	out.Roles[0], out.Groups[0], out.Addresses[0].Name = "mutated", "mutated", "mutated"
	got, err := s.ByID(t.Context(), want.ID)
	must(t, err, "ByID")
	wantUser(t, got, want, "after mutating Create's input and result")

	got.Roles[0], got.Addresses[1].Address = "mutated", "mutated"
	listed, err := s.List(t.Context(), 0, 1)
	must(t, err, "List")
	listed[0].Groups[0] = "mutated"
	upd := want
	upd.Roles = []string{"editor"}
	must(t, s.Update(t.Context(), upd), "Update")
	upd.Roles[0] = "mutated"
	want.Roles = []string{"editor"}
	want.Version++
	got, err = s.ByLogin(t.Context(), want.Login)
	must(t, err, "ByLogin")
	wantUser(t, got, want, "after mutating results and Update's input")
}

func userRaceHandle(t *testing.T, s ports.UserStore) {
	tests := []struct {
		name   string
		set    func(u *identity.User, i int)
		reason string
	}{
		{"login", func(u *identity.User, i int) { u.Login = "same" }, identity.ReasonLoginTaken},
		{"email", func(u *identity.User, i int) { u.Email = "same@example.com" }, identity.ReasonEmailTaken},
		{"phone", func(u *identity.User, i int) { u.Phone = "+15550001111" }, identity.ReasonPhoneTaken},
	}
	for n, tt := range tests {
		errs := race(racers, func(i int) error {
			u := identity.User{ID: fmt.Sprintf("%s-%d", tt.name, i), CreatedAt: at(i)}
			tt.set(&u, i)
			_, err := s.Create(t.Context(), u)
			return err
		})
		w := oneWinner(t, errs, fault.Conflict, tt.reason)
		list, err := s.List(t.Context(), 0, 100)
		must(t, err, "List")
		winner := fmt.Sprintf("%s-%d", tt.name, w)
		if len(list) != n+1 || list[n].ID != winner {
			t.Fatalf("%s race: stored %d users, want %d, the last one %q", tt.name, len(list), n+1, winner)
		}
	}
}

func userRaceNumbers(t *testing.T, s ports.UserStore) {
	numbers := make([]int64, racers)
	errs := race(racers, func(i int) error {
		u, err := s.Create(t.Context(), fullUser(i))
		numbers[i] = u.Number
		return err
	})
	for i, err := range errs {
		must(t, err, fmt.Sprintf("Create %d", i))
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != int64(i+1) {
			t.Fatalf("concurrent Creates got Numbers %v, want 1..%d each once", numbers, racers)
		}
	}
}
