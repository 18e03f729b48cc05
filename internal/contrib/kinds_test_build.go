//go:build !kindtest

package contrib

// testKinds are empty outside the kindtest build (see kinds_kindtest.go).
var testKinds []KindInfo
