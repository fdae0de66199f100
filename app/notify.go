package app

import (
	"log/slog"
	"net"
	"net/url"

	"go.uber.org/fx"

	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/smtpmail"
	"gatehouse/config"
	"gatehouse/ports"
)

// channel is the notification channel, or none (a nil Notifier) when no
// channel is configured: the use cases then refuse to start flows that
// must send something.
type channel struct{ ports.Notifier }

// notifyModule provides the channel one-time codes and links go out on.
func notifyModule(cfg config.Config) fx.Option {
	switch ch := cfg.NotifyChannel(); ch {
	case "smtp":
		return fx.Module("smtpmail", fx.Provide(newMailer))
	case "log":
		if !cfg.Dev {
			return fx.Error(&config.Error{Key: "notify.channel", Env: "GATEHOUSE_NOTIFY_CHANNEL", Problem: "log is refused outside dev mode"})
		}
		return fx.Module("lognotify", fx.Provide(func(log *slog.Logger) channel {
			return channel{lognotify.New(log.With("component", "notify"))}
		}))
	case "none":
		return fx.Module("nonotify", fx.Provide(func() channel { return channel{} }))
	default:
		return choiceError("notify.channel", ch, "smtp, log or none")
	}
}

func newMailer(cfg config.Config) (channel, error) {
	s := cfg.Notify.SMTP
	m, err := smtpmail.New(smtpmail.Options{
		Host:        s.Host,
		Port:        s.Port,
		Username:    s.Username,
		Password:    s.Password,
		From:        s.From,
		TLS:         s.TLS,
		Timeout:     s.Timeout,
		ProductName: s.ProductName,
	})
	if err != nil {
		return channel{}, err
	}
	return channel{m}, nil
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
