package sqlitestore

import (
	"testing"

	"gatehouse/core/fault"
)

// TestTelegramStepMovesLinksOut brings a database written before step 5,
// whose profiles carry Telegram ids (one shared by two accounts), through
// the step: the unique id becomes the column, the shared one links nobody.
func TestTelegramStepMovesLinksOut(t *testing.T) {
	path, raw := beforeStep(t, 5)
	rows := []struct{ id, profile string }{
		{"solo", `{"first_name":"Ann","telegram_id":7}`},
		{"twin1", `{"telegram_id":8}`},
		{"twin2", `{"telegram_id":8}`},
		{"none", `{}`},
	}
	for i, r := range rows {
		if _, err := raw.Exec(`INSERT INTO users (id, number, version, login, email, phone, profile) VALUES (?, ?, 1, '', '', '', ?)`,
			r.id, i+1, r.profile); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(t.Context(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewUserStore(db)
	u, err := s.ByTelegramID(t.Context(), 7)
	if err != nil || u.ID != "solo" || u.FirstName != "Ann" {
		t.Fatalf("ByTelegramID(7) = %+v, %v", u, err)
	}
	if _, err := s.ByTelegramID(t.Context(), 8); !fault.Is(err, fault.NotFound) {
		t.Fatalf("ByTelegramID of a shared id: %v, want NotFound", err)
	}
	for _, id := range []string{"twin1", "twin2", "none"} {
		if u, err := s.ByID(t.Context(), id); err != nil || u.TelegramID != 0 {
			t.Fatalf("%s: %+v, %v", id, u, err)
		}
	}
}
