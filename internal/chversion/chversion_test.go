package chversion

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Version
		bad        bool
	}{
		{name: "server's version()", text: "26.7.2.1", want: Version{26, 7}},
		{name: "clickhouse server --version", text: "ClickHouse server version 24.8.1.2684 (official build).", want: Version{24, 8}},
		{name: "Debian 12", text: "ClickHouse server version 18.16.1.", want: Version{18, 16}},
		{name: "npm library", text: "26.7.3-stable.1", want: Version{26, 7}},
		{name: "image tag", text: "26.7", want: Version{26, 7}},
		{name: "no number", text: "ClickHouse server", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.text)
			if (err != nil) != tc.bad || got != tc.want {
				t.Errorf("Parse(%q) = %v, %v; want %v (error %v)", tc.text, got, err, tc.want, tc.bad)
			}
		})
	}
}

func TestLess(t *testing.T) {
	for _, tc := range []struct {
		a, b Version
		want bool
	}{
		{Version{18, 16}, MinSupported, true},
		{Version{24, 3}, Version{24, 8}, true},
		{Version{24, 8}, Version{24, 8}, false},
		{Version{24, 12}, Version{25, 1}, true},
		{Version{26, 7}, MinSupported, false},
	} {
		if got := tc.a.Less(tc.b); got != tc.want {
			t.Errorf("%s.Less(%s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if MinSupported.String() != "24.8" {
		t.Errorf("MinSupported = %s", MinSupported)
	}
}
