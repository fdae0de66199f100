package lognotify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"gatehouse/adapters/lognotify"
	"gatehouse/core/delivery"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

func TestCodeChannelWritesOneRecord(t *testing.T) {
	var buf bytes.Buffer
	c := lognotify.NewCodeChannel(slog.New(slog.NewJSONHandler(&buf, nil)))
	res, err := c.Send(context.Background(), ports.Message{Recipient: "+79991234567", Code: "482913",
		TTL: 10 * time.Minute, Purpose: identity.PurposePhoneLogin})
	if err != nil || res != (ports.DeliveryResult{Channel: "log"}) || c.Name() != "log" {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	want := map[string]any{"msg": "phone code", "channel": "log", "recipient": "+79991234567",
		"purpose": "phone_login", "code": "482913", "ttl": "10m0s"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v, want %v", k, rec[k], v)
		}
	}
}

func TestCodeChannelRefusesNonE164(t *testing.T) {
	var buf bytes.Buffer
	c := lognotify.NewCodeChannel(slog.New(slog.NewJSONHandler(&buf, nil)))
	_, err := c.Send(context.Background(), ports.Message{Recipient: "89991234567", Code: "1"})
	if fault.ReasonOf(err) != delivery.ReasonBadRecipient || buf.Len() != 0 {
		t.Fatalf("err = %v, log %q", err, buf.String())
	}
}
