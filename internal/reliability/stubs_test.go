package reliability

import "testing"

func testKillCollect(t *testing.T)    {}
func testKillClickHouse(t *testing.T) {}
func testGitHubFaults(t *testing.T)   {}
func testFuzz(t *testing.T)           {}
func testAPIUnderLoad(t *testing.T)   {}
func testSecrets(t *testing.T)        {}
