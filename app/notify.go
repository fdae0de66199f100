package app

import (
	"log/slog"
	"net"
	"net/url"

	"go.uber.org/fx"

	"gatehouse/adapters/courier"
	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/smtpmail"
	"gatehouse/config"
	"gatehouse/ports"
)

// channel is the notification channel, or none (a nil Notifier) when no
// channel is configured: the use cases then refuse to start flows that
// must send something. Background is the courier in front of it, which
// also runs the use cases' deferred work.
type channel struct {
	ports.Notifier
	Background ports.Background
}

// notifyModule provides the channel one-time codes and links go out on,
// behind a courier: use cases only enqueue, so answering costs the same
// whether a message goes out or not, and transient failures are retried.
func notifyModule(cfg config.Config) fx.Option {
	switch ch := cfg.NotifyChannel(); ch {
	case "smtp":
		return fx.Module("smtpmail", fx.Provide(newMailer, newCourier))
	case "log":
		if !cfg.Dev {
			return fx.Error(&config.Error{Key: "notify.channel", Env: "GATEHOUSE_NOTIFY_CHANNEL", Problem: "log is refused outside dev mode"})
		}
		return fx.Module("lognotify", fx.Provide(
			func(log *slog.Logger) ports.Notifier { return lognotify.New(log.With("component", "notify")) },
			newCourier,
		))
	case "none":
		return fx.Module("nonotify", fx.Provide(func() channel { return channel{} }))
	default:
		return choiceError("notify.channel", ch, "smtp, log or none")
	}
}

// newCourier queues deliveries for next and runs deferred work (a reset
// for an address that may have no account) off the request path; it
// drains its queue when the app stops, after the HTTP server (whose hook
// is appended later) has drained. Deferred work uses the stores:
// newIdentity takes them before the channel, so their hooks come first
// and they close after the courier has drained.
func newCourier(lc fx.Lifecycle, next ports.Notifier, log *slog.Logger) channel {
	c := courier.New(next, courier.Options{Log: log.With("component", "courier")})
	lc.Append(fx.StartStopHook(c.Start, c.Stop))
	return channel{Notifier: c, Background: c}
}

func newMailer(cfg config.Config) (ports.Notifier, error) {
	s := cfg.Notify.SMTP
	return smtpmail.New(smtpmail.Options{
		Host:        s.Host,
		Port:        s.Port,
		Username:    s.Username,
		Password:    s.Password,
		From:        s.From,
		TLS:         s.TLS,
		Timeout:     s.Timeout,
		ProductName: s.ProductName,
	})
}

// ownHosts are the hosts short links must not point back at: the public
// URL's, and the listen address's with its loopback names.
func ownHosts(cfg config.Config) []string {
	var hosts []string
	if u, err := url.Parse(cfg.BaseURL()); err == nil && u.Host != "" && u.Port() != "0" {
		hosts = append(hosts, u.Host)
	}
	host, port, err := net.SplitHostPort(cfg.HTTP.Addr)
	if err != nil || port == "0" {
		// Port 0 is chosen at listen time (tests): no address to guard.
		return hosts
	}
	ip := net.ParseIP(host)
	if host == "" || host == "localhost" || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified())) {
		for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
			hosts = append(hosts, h+":"+port)
		}
	} else {
		hosts = append(hosts, net.JoinHostPort(host, port))
	}
	return hosts
}
