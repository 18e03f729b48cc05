package reliability

import "testing"

func testKillClickHouse(t *testing.T) {}
func testGitHubFaults(t *testing.T)   {}
func testFuzz(t *testing.T)           {}
func testAPIUnderLoad(t *testing.T)   {}
