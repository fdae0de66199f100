package telegrambot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"gatehouse/core/sessions"
)

func TestSessionsListsDevicesWithSignOutButtons(t *testing.T) {
	f := newFixture(t)
	ann := f.account(t, "ann")
	f.apply(t, message(1, 100, "ru", "/start "+f.linkToken(t, ann.ID)))
	f.sessions.byID["dev-1"] = sessions.Device{ID: "dev-1", UserID: ann.ID, Name: "Firefox on Linux", LastSeen: time.Unix(1_700_000_000, 0)}
	f.sessions.byID["dev-2"] = sessions.Device{ID: "dev-2", UserID: "someone-else", Name: "Safari on iPhone"}

	f.apply(t, message(2, 100, "ru", "/sessions"))
	sent := f.api.sent(100)
	last := sent[len(sent)-1]
	if !strings.Contains(last.form["text"], "Firefox on Linux") || strings.Contains(last.form["text"], "Safari") {
		t.Fatalf("/sessions: %q", last.form["text"])
	}
	var kb struct {
		Rows [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(last.form["reply_markup"]), &kb); err != nil || len(kb.Rows) != 1 || kb.Rows[0][0].CallbackData != "end:dev-1" {
		t.Fatalf("buttons %s: %v", last.form["reply_markup"], err)
	}

	press := func(id int, from int64, device string) {
		f.apply(t, fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"q%d","from":{"id":%d,"is_bot":false,"first_name":"Ann","language_code":"en"},"chat_instance":"1","data":"end:%s"}}`, id, id, from, device))
	}
	press(3, 100, "dev-2") // another account's device: refused
	press(4, 300, "dev-1") // an unlinked Telegram user: refused
	press(5, 100, "dev-1")
	if len(f.sessions.ended) != 1 || f.sessions.ended[0] != "dev-1" {
		t.Fatalf("ended %v", f.sessions.ended)
	}
	if got := f.lastText(t, 100); !strings.Contains(got, "Signed out on Firefox on Linux") {
		t.Fatalf("reply %q", got)
	}
	if f.api.count("answerCallbackQuery") != 3 {
		t.Fatalf("%d button presses answered", f.api.count("answerCallbackQuery"))
	}
}
