package app

import (
	"context"
	"log/slog"
	"net"
	"net/url"

	"go.uber.org/fx"

	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/smtpmail"
	"gatehouse/config"
	"gatehouse/core/fault"
	"gatehouse/ports"
)

// notifyModule provides the channel one-time codes and links go out on.
func notifyModule(cfg config.Config) fx.Option {
	switch ch := cfg.NotifyChannel(); ch {
	case "smtp":
		return fx.Module("smtpmail", fx.Provide(newMailer))
	case "log":
		if !cfg.Dev {
			return fx.Error(&config.Error{Key: "notify.channel", Env: "GATEHOUSE_NOTIFY_CHANNEL", Problem: "log is refused outside dev mode"})
		}
		return fx.Module("lognotify", fx.Provide(func(log *slog.Logger) ports.Notifier {
			return lognotify.New(log.With("component", "notify"))
		}))
	case "none":
		return fx.Module("nonotify", fx.Provide(func() ports.Notifier { return disabledNotifier{} }))
	default:
		return choiceError("notify.channel", ch, "smtp, log or none")
	}
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

// disabledNotifier is the channel when none is configured: every delivery
// fails as unavailable, and is logged as such by the use case, so an
// operator sees that mail is not set up.
type disabledNotifier struct{}

func (disabledNotifier) Notify(context.Context, ports.Notification) error {
	return fault.New(fault.Unavailable, "notify.disabled", "No notification channel is configured (notify.channel).")
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
