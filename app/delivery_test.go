package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/tggateway"
	"gatehouse/config"
	"gatehouse/core/captcha"
	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// TestCodeChainFromConfig builds the configured chain and sends through it:
// an SMS webhook that is down hands the code to the log (dev mode).
func TestCodeChainFromConfig(t *testing.T) {
	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadRequest) // refused: not retried, next channel
	}))
	defer hook.Close()
	cfg, err := config.Load("", []string{"GATEHOUSE_DEV=true", "GATEHOUSE_DELIVERY_CHANNELS=smshook,log",
		"GATEHOUSE_DELIVERY_SMSHOOK_URL=" + hook.URL, "GATEHOUSE_DELIVERY_SMSHOOK_SECRET=s"})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var chain ports.CodeChannel
	var check ports.Captcha
	app := fx.New(append(Options(cfg, Build{}, slog.New(slog.NewJSONHandler(&logs, nil))), fx.Populate(&chain, &check))...)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	res, err := chain.Send(context.Background(), ports.Message{Recipient: "+79991234567", Code: "482913",
		TTL: 5 * time.Minute, Purpose: identity.PurposePhoneLogin})
	if err != nil || res.Channel != "log" || hits.Load() != 1 {
		t.Fatalf("Send = %+v, %v; webhook hit %d times", res, err, hits.Load())
	}
	if !strings.Contains(logs.String(), `"code":"482913"`) {
		t.Fatalf("the dev log has no code:\n%s", logs.String())
	}
	if err := check.Verify(context.Background(), "", "", "phone_otp"); err != nil {
		t.Fatalf("dev captcha: %v", err)
	}
}

func TestCaptchaUnsetFailsClosed(t *testing.T) {
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	var check ports.Captcha
	var chain ports.CodeChannel
	app := fx.New(append(Options(cfg, Build{}, quietLog()), fx.Populate(&check, &chain))...)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if err := check.Verify(context.Background(), "tok", "", "phone_otp"); fault.ReasonOf(err) != captcha.ReasonUnavailable {
		t.Fatalf("Verify = %v", err)
	}
	if _, err := chain.Send(context.Background(), ports.Message{Recipient: "+79991234567", Code: "1"}); !fault.Is(err, fault.Unavailable) {
		t.Fatalf("Send = %v", err)
	}
}

// TestTGGatewayReportsMounted posts delivery reports to the configured
// path of a running service: signed ones are taken, others refused.
func TestTGGatewayReportsMounted(t *testing.T) {
	s := startService(t, "GATEHOUSE_STORAGE_DRIVER=memory", "GATEHOUSE_DELIVERY_CHANNELS=tggateway",
		"GATEHOUSE_DELIVERY_TGGATEWAY_TOKEN=gw-token", "GATEHOUSE_DELIVERY_TGGATEWAY_REPORT_PATH=/hooks/tggateway",
		"GATEHOUSE_PUBLIC_URL=https://id.example")
	body := `{"request_id":"req-1","phone_number":"+79991234567","request_cost":0.01,"delivery_status":{"status":"delivered","updated_at":` +
		strconv.FormatInt(time.Now().Unix(), 10) + `}}`
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	tests := []struct {
		name      string
		signature string
		want      int
	}{
		{"signed", tggateway.Sign("gw-token", stamp, []byte(body)), http.StatusOK},
		{"signed with another token", tggateway.Sign("other", stamp, []byte(body)), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.call(t, http.MethodPost, "/hooks/tggateway", body, map[string]string{
				"Content-Type": "application/json", tggateway.HeaderTimestamp: stamp, tggateway.HeaderSignature: tt.signature,
			}, nil)
			if got != tt.want {
				t.Fatalf("status %d, want %d", got, tt.want)
			}
		})
	}
}
