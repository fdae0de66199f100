package app

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"
	"go.uber.org/fx"

	"gatehouse/adapters/codechain"
	"gatehouse/adapters/httpapi"
	"gatehouse/adapters/lognotify"
	"gatehouse/adapters/smshook"
	"gatehouse/adapters/tggateway"
	"gatehouse/config"
	"gatehouse/core/delivery"
	"gatehouse/ports"
)

// codeChannelsGroup is the value group each phone-code channel joins; the
// chain picks them by Name in the configured order. The Telegram bot joins
// it with a channel named "telegram".
const codeChannelsGroup = `group:"code_channels"`

// deliveryModule provides ports.CodeChannel: a codechain.Chain over the
// channels delivery.channels and delivery.routes name, and nothing for the
// channels they do not.
func deliveryModule(cfg config.Config) fx.Option {
	opts := []fx.Option{fx.Provide(
		codechain.NewMetrics,
		fx.Annotate(newCodeChain, fx.ParamTags(``, ``, ``, codeChannelsGroup)),
	)}
	channel := func(constructor any) fx.Option {
		return fx.Provide(fx.Annotate(constructor, fx.ResultTags(codeChannelsGroup)))
	}
	for _, name := range cfg.UsedCodeChannels() {
		switch name {
		case "tggateway":
			opts = append(opts, channel(newTGGateway))
			if cfg.Delivery.TGGateway.ReportPath != "" {
				opts = append(opts, fx.Provide(fx.Annotate(newTGGatewayReports, fx.ResultTags(`group:"mounts"`))))
			}
		case "smshook":
			opts = append(opts, channel(newSMSHook))
		case "telegram":
			// The bot joins the group itself (telegramModule).
		case "log":
			if !cfg.Dev {
				return fx.Error(&config.Error{Key: "delivery.channels", Env: "GATEHOUSE_DELIVERY_CHANNELS", Problem: "log is refused outside dev mode"})
			}
			opts = append(opts, channel(func(log *slog.Logger) ports.CodeChannel {
				return lognotify.NewCodeChannel(log.With("component", "delivery"))
			}))
		default:
			return choiceError("delivery.channels", name, "tggateway, smshook or log")
		}
	}
	return fx.Module("delivery", opts...)
}

func newCodeChain(cfg config.Config, log *slog.Logger, metrics *codechain.Metrics, channels []ports.CodeChannel) (ports.CodeChannel, error) {
	order := cfg.CodeChannels()
	if len(order) == 0 {
		log.Warn("delivery.channels is empty: phone codes answer unavailable until a channel is set (see config/gatehouse.example.yaml)")
	}
	return codechain.New(channels, delivery.Routes{Default: order, ByPrefix: cfg.CodeRoutes()}, metrics, log.With("component", "delivery"))
}

func newTGGateway(cfg config.Config, log *slog.Logger) (ports.CodeChannel, error) {
	g := cfg.Delivery.TGGateway
	o := tggateway.Options{
		Token:          g.Token,
		BaseURL:        g.BaseURL,
		CheckAbility:   g.CheckAbility,
		SenderUsername: g.SenderUsername,
		Timeout:        g.Timeout,
		Log:            log.With("component", "tggateway"),
	}
	if g.ReportPath != "" {
		o.CallbackURL = cfg.BaseURL() + g.ReportPath
	}
	return tggateway.New(o)
}

// newTGGatewayReports mounts the delivery-report receiver at
// delivery.tggateway.report_path.
func newTGGatewayReports(cfg config.Config, log *slog.Logger, cache ports.Cache, clock ports.Clock) (httpapi.Mounter, error) {
	r, err := tggateway.NewReports(cfg.Delivery.TGGateway.Token, cache, tggateway.ReportOptions{
		Now: clock.Now,
		Log: log.With("component", "tggateway"),
	})
	if err != nil {
		return nil, err
	}
	path := cfg.Delivery.TGGateway.ReportPath
	return httpapi.MounterFunc(func(m *mux.Router) {
		m.Handle(path, http.Handler(r)).Methods(http.MethodPost)
	}), nil
}

func newSMSHook(cfg config.Config, log *slog.Logger, clock ports.Clock) (ports.CodeChannel, error) {
	s := cfg.Delivery.SMSHook
	return smshook.New(smshook.Options{
		URL:      s.URL,
		Secret:   s.Secret,
		Product:  s.ProductName,
		Attempts: s.Attempts,
		Timeout:  s.Timeout,
		Now:      clock.Now,
		Log:      log.With("component", "smshook"),
	})
}
