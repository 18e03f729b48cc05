package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"contribtrack/internal/config"
)

// A file with no settings means the defaults, like no file at all: it used
// to zero every setting and fail on gharchive.base_url and serve.listen,
// which the user never wrote (issue 15).
func TestConfigWithoutSettingsIsTheDefaults(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"empty", ""},
		{"blank lines", "\n   \n\n"},
		{"comments only", "# contribtrack settings, to be filled in\n# orgs: [aws]\n"},
		{"a document marker", "---\n# nothing yet\n"},
		{"null", "~\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(writeFile(t, tc.text), noEnv)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(config.Default(), cfg); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("/dev/null", func(t *testing.T) {
		cfg, err := config.Load("/dev/null", envOf(map[string]string{"CONTRIBTRACK_ORGS": "aws"}))
		if err != nil {
			t.Fatal(err)
		}
		want := config.Default()
		want.Orgs = []string{"aws"}
		if diff := cmp.Diff(want, cfg); diff != "" {
			t.Errorf("config (-want +got):\n%s", diff)
		}
	})
}

// A file that sets some sections gets the defaults for the others, and for
// the settings of a section it leaves out or leaves empty.
func TestConfigSomeSectionsKeepTheOtherDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       func(*config.Config)
	}{
		{"only orgs", "orgs: [aws]\n", func(c *config.Config) { c.Orgs = []string{"aws"} }},
		{"one serve setting", "serve:\n  interval: 2h\n", func(c *config.Config) { c.Serve.Interval = "2h" }},
		{"empty sections", "gharchive:\nserve:\n  # listen: 0.0.0.0:8080\ngithub: {}\n", func(*config.Config) {}},
		{"a setting without a value", "gharchive:\n  base_url:\n", func(*config.Config) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(writeFile(t, tc.text), noEnv)
			if err != nil {
				t.Fatal(err)
			}
			want := config.Default()
			tc.want(want)
			if diff := cmp.Diff(want, cfg); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

// An empty value the user wrote is theirs: still an error, naming the
// file, the line and the setting. A value from the environment has no line.
func TestConfigExplicitEmptyValueIsAnError(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"serve:\n  listen: \"\"\n", `line 2: serve.listen: "" is not host:port`},
		{"# settings\norgs: [aws]\ngharchive:\n  base_url: ''\n", `line 4: gharchive.base_url: "" is not an http(s) URL`},
		{"orgs: [aws, \"\"]\n", `line 1: orgs[1]: "" is not a GitHub org or user name`},
	} {
		path := writeFile(t, tc.text)
		_, err := config.Load(path, noEnv)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want one naming %s and %q", tc.text, err, path, tc.want)
		}
		if err != nil && strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%q: more than the one problem: %v", tc.text, err)
		}
	}
}

func TestConfigErrorFromTheEnvironmentHasNoLine(t *testing.T) {
	path := writeFile(t, "serve:\n  listen: 127.0.0.1:9000\n")
	_, err := config.Load(path, envOf(map[string]string{"CONTRIBTRACK_LISTEN": "nope"}))
	if err == nil || strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), `serve.listen: "nope" is not host:port`) ||
		!strings.Contains(err.Error(), "CONTRIBTRACK_LISTEN from the environment") {
		t.Errorf("err = %v, want serve.listen from the environment, without the file's line", err)
	}
}
