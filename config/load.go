package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// EnvPrefix starts every environment override.
const EnvPrefix = "GATEHOUSE_"

// Error is a configuration problem with the key it concerns. Its message is
// the one line printed before gatehouse exits with code 2.
type Error struct {
	Key     string // the YAML path, e.g. http.addr
	Env     string // the environment name, e.g. GATEHOUSE_HTTP_ADDR
	Problem string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return "config: " + e.Problem
	}
	return fmt.Sprintf("config: %s (%s): %s", e.Key, e.Env, e.Problem)
}

// Load builds the configuration: defaults, then the YAML file at path (if
// path is not empty), then environment overrides from environ (os.Environ
// form), then validation. Every failure is an *Error.
func Load(path string, environ []string) (Config, error) {
	cfg := Default()
	if path != "" {
		if err := readFile(path, &cfg); err != nil {
			return Config{}, err
		}
	}
	if err := applyEnv(&cfg, environ); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func readFile(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &Error{Problem: fmt.Sprintf("read %s: %v", path, errors.Unwrap(err))}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.ReplaceAll(strings.ReplaceAll(msg, "unmarshal errors:\n  ", ""), "\n  ", "; ")
		return &Error{Problem: fmt.Sprintf("%s: %s", path, msg)}
	}
	return nil
}

// field is one leaf of Config with its YAML path and environment name.
type field struct {
	key string
	env string
	v   reflect.Value
}

// fields lists every leaf of cfg, so the environment names follow the YAML
// keys without a second list to keep in step.
func fields(cfg *Config) []field {
	var out []field
	var walk func(v reflect.Value, path []string)
	walk = func(v reflect.Value, path []string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			p := append(append([]string(nil), path...), name)
			fv := v.Field(i)
			if fv.Kind() == reflect.Struct && fv.Type() != reflect.TypeOf(time.Duration(0)) {
				walk(fv, p)
				continue
			}
			out = append(out, field{
				key: strings.Join(p, "."),
				env: EnvPrefix + strings.ToUpper(strings.Join(p, "_")),
				v:   fv,
			})
		}
	}
	walk(reflect.ValueOf(cfg).Elem(), nil)
	return out
}

func applyEnv(cfg *Config, environ []string) error {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, EnvPrefix) {
			env[k] = v
		}
	}
	known := make(map[string]bool)
	for _, f := range fields(cfg) {
		known[f.env] = true
		raw, ok := env[f.env]
		if !ok {
			continue
		}
		if err := set(f.v, raw); err != nil {
			return &Error{Key: f.key, Env: f.env, Problem: err.Error()}
		}
	}
	for k := range env {
		if !known[k] && !ignoredEnv[k] {
			return &Error{Problem: fmt.Sprintf("%s is not a setting gatehouse knows (see config/gatehouse.example.yaml)", k)}
		}
	}
	return nil
}

// ignoredEnv are GATEHOUSE_ variables read elsewhere: the config file path and
// the test suites' database addresses.
var ignoredEnv = map[string]bool{
	"GATEHOUSE_CONFIG":         true,
	"GATEHOUSE_TEST_MONGO_URI": true,
	"GATEHOUSE_TEST_REDIS_URL": true,
}

func set(v reflect.Value, raw string) error {
	raw = strings.TrimSpace(raw)
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("%q is not a duration (want e.g. 30s, 15m, 720h)", raw)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(raw)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("%q is not a boolean (want true or false)", raw)
		}
		v.SetBool(b)
	case v.CanInt():
		n, err := strconv.ParseInt(raw, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		v.SetInt(n)
	case v.CanUint():
		n, err := strconv.ParseUint(raw, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a non-negative whole number that fits", raw)
		}
		v.SetUint(n)
	case v.CanFloat():
		f, err := strconv.ParseFloat(raw, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a number", raw)
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}
