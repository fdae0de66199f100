package porttest

import (
	"fmt"
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// tgID is the Telegram user id the Telegram cases link and fight over.
const tgID int64 = 5_000_000_001

func userTelegramHandle(t *testing.T, s ports.UserStore) {
	a := create(t, s, identity.User{ID: "a", TelegramID: tgID})
	b := create(t, s, identity.User{ID: "b"})
	create(t, s, identity.User{ID: "c"}) // a second unlinked user: zero is no handle

	_, err := s.Create(t.Context(), identity.User{ID: "d", TelegramID: tgID})
	wantFault(t, err, fault.Conflict, identity.ReasonTelegramTaken, "Create with a linked Telegram id")
	got, err := s.ByTelegramID(t.Context(), tgID)
	must(t, err, "ByTelegramID")
	if got.ID != "a" {
		t.Fatalf("ByTelegramID found %q, want a", got.ID)
	}
	_, err = s.ByTelegramID(t.Context(), 0)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByTelegramID(0)")
	_, err = s.ByTelegramID(t.Context(), tgID+1)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByTelegramID of nobody")

	b.TelegramID = tgID
	wantFault(t, s.Update(t.Context(), b), fault.Conflict, identity.ReasonTelegramTaken, "Update to a linked Telegram id")

	a.TelegramID = 0
	must(t, s.Update(t.Context(), a), "Update unlinking a")
	_, err = s.ByTelegramID(t.Context(), tgID)
	wantFault(t, err, fault.NotFound, identity.ReasonUserNotFound, "ByTelegramID after the unlink")
	must(t, s.Update(t.Context(), b), "Update linking b to the freed id")
	got, err = s.ByTelegramID(t.Context(), tgID)
	must(t, err, "ByTelegramID after the relink")
	if got.ID != "b" || got.TelegramID != tgID {
		t.Fatalf("ByTelegramID found %q with %d, want b with %d", got.ID, got.TelegramID, tgID)
	}

	must(t, s.Delete(t.Context(), "b"), "Delete b")
	create(t, s, identity.User{ID: "e", TelegramID: tgID})
}

// userRaceTelegram links one Telegram id to many accounts at once, as
// several replicas answering several /start messages would: exactly one
// link holds.
func userRaceTelegram(t *testing.T, s ports.UserStore) {
	users := make([]identity.User, racers)
	for i := range users {
		users[i] = create(t, s, identity.User{ID: fmt.Sprintf("tg-%d", i), CreatedAt: at(i)})
	}
	errs := race(racers, func(i int) error {
		u := users[i]
		u.TelegramID = tgID
		return s.Update(t.Context(), u)
	})
	w := oneWinner(t, errs, fault.Conflict, identity.ReasonTelegramTaken)
	got, err := s.ByTelegramID(t.Context(), tgID)
	must(t, err, "ByTelegramID")
	if got.ID != users[w].ID {
		t.Fatalf("ByTelegramID found %q, want the winner %q", got.ID, users[w].ID)
	}

	errs = race(racers, func(i int) error {
		_, err := s.Create(t.Context(), identity.User{ID: fmt.Sprintf("new-%d", i), TelegramID: tgID + 1})
		return err
	})
	oneWinner(t, errs, fault.Conflict, identity.ReasonTelegramTaken)
}
