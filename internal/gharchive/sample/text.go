package sample

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
)

var (
	givenNames = []string{"Maria", "James", "Aiko", "Wei", "Priya", "Lukas", "Fatima", "Diego", "Olga", "Kwame",
		"Sofia", "Mateo", "Hannah", "Raj", "Yuki", "Chen", "Amara", "Elena", "Tomasz", "Noah", "Leila", "Arjun",
		"Ines", "Kenji", "Zara", "Oscar", "Nadia", "Felix", "Ana", "Samir", "Julia", "Hiro", "Bruno", "Mei", "Ivan",
		"Chloe", "Omar", "Laura", "Dmitri", "Grace", "Pablo", "Sana", "Erik", "Thandiwe", "Marco", "Lin", "Aisha",
		"Jonas", "Rosa", "Kai", "Nina", "Ravi", "Emma", "Luca", "Irene", "Akira", "Carmen", "Daniel", "Vera", "Tariq"}
	surnames = []string{"Garcia", "Smith", "Tanaka", "Zhang", "Patel", "Muller", "Haddad", "Silva", "Ivanova",
		"Mensah", "Rossi", "Lopez", "Schmidt", "Sharma", "Sato", "Wang", "Okafor", "Petrova", "Kowalski", "Brown",
		"Nasser", "Iyer", "Costa", "Yamamoto", "Khan", "Berg", "Novak", "Weber", "Santos", "Aziz", "Fischer",
		"Nakamura", "Oliveira", "Li", "Popov", "Martin", "Hassan", "Moreau", "Volkov", "Kim", "Fernandez", "Ali",
		"Larsen", "Dlamini", "Bianchi", "Ahmed", "Jansen", "Ruiz", "Park", "Kaur", "Reddy", "Johnson", "Conti"}
	syllables = []string{"ka", "zen", "ro", "mi", "tek", "lu", "vo", "ra", "shi", "no", "del", "ta", "qu", "bri",
		"xo", "fen", "gal", "mor", "pi", "sun", "dra", "ko", "lix", "ne", "ter", "vy"}
	personalRepoNames = []string{"dotfiles", "blog", "advent-of-code", "homelab", "notes", "cdk-playground",
		"terraform-modules", "leetcode", "nvim-config", "portfolio", "serverless-demo", "k8s-lab", "lambda-experiments"}

	commitTypes = []string{"feat", "fix", "fix", "chore", "docs", "refactor", "test", "feat", "fix"}
	scopes      = []string{"s3", "lambda", "dynamodb", "iam", "ec2", "ecs", "eks", "sqs", "sns", "cloudwatch",
		"apigateway", "stepfunctions", "cli", "core", "logger", "tracer", "metrics", "auth", "storage", "rds"}
	verbs    = []string{"add support for", "handle", "fix", "validate", "document", "deprecate", "improve", "expose", "remove"}
	subjects = []string{"retry configuration", "cross-account access", "custom domain names", "pagination tokens",
		"empty responses", "credential refresh", "VPC endpoints", "log retention", "batch size limits",
		"environment variables", "resource tags", "IPv6 dual-stack", "KMS key rotation", "request timeouts",
		"region fallback", "nested stacks", "idempotency keys", "streaming uploads"}
	problems = []string{"fails when", "times out when", "ignores", "throws an error with", "is slow with",
		"produces an invalid template for", "leaks memory with", "does not respect"}
	packages = []string{"esbuild", "typescript", "jest", "@types/node", "golang.org/x/net", "boto3", "pytest",
		"ruff", "mypy", "actions/checkout", "github.com/aws/smithy-go", "aws-actions/configure-aws-credentials",
		"constructs", "eslint", "vitest", "software.amazon.awssdk:bom"}
	comments = []string{"Thanks for the contribution! Could you add a unit test for this case?",
		"LGTM, thanks!", "I can reproduce this on the latest version.", "Any update on this?",
		"This looks related to the issue we saw last week.", "Could you rebase on the latest main?",
		"Good catch, I'll take a look.", "We have added this to our backlog.", "Closing as this was fixed in the latest release.",
		"+1, we are hitting this in production too.", "Would you be open to submitting a PR?", "Done, thanks for the review.",
		"Nice work :rocket:", "Can you share a minimal reproduction?", "The build is failing, see the logs above."}
	reviewBodies = []string{"", "", "Looks good to me.", "A few small nits, otherwise good.", "Please add tests.",
		"Can we avoid the breaking change here?", "Approving, nice cleanup."}
	botComments = []string{"AWS CodeBuild CI Report\n\n* Result: SUCCEEDED", "This PR has been merged :tada:",
		"Thank you for contributing! Your pull request will be updated from main and then merged automatically.",
		"Comments on closed issues and PRs are hard for our team to see."}
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// pickDistinct returns n distinct elements of list in a random order.
func pickDistinct(r *rand.Rand, list []string, n int) []string {
	idx := r.Perm(len(list))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

// hashedEmail returns local@domain with the local part replaced by its SHA-1,
// the way GH Archive anonymises commit author emails.
func hashedEmail(local, domain string) string {
	sum := sha1.Sum([]byte(local))
	return hex.EncodeToString(sum[:]) + "@" + domain
}

// newSHA returns a random 40-digit hex commit id.
func newSHA(r *rand.Rand) string {
	return fmt.Sprintf("%016x%016x%08x", r.Uint64(), r.Uint64(), r.Uint32())
}

func version(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d", r.IntN(6), r.IntN(40), r.IntN(20))
}

// changeTitle is a conventional-commit style PR title or commit message.
func changeTitle(r *rand.Rand) string {
	return fmt.Sprintf("%s(%s): %s %s", pick(r, commitTypes), pick(r, scopes), pick(r, verbs), pick(r, subjects))
}

func commitMessage(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return pick(r, []string{"address review comments", "wip", "fix lint", "Update README.md", "fix tests"})
	case 1:
		return changeTitle(r) + "\n\n" + pick(r, comments)
	default:
		return changeTitle(r)
	}
}

func issueTitle(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("(%s): %s %s", pick(r, scopes), pick(r, problems), pick(r, subjects))
	case 1:
		return fmt.Sprintf("Feature request: %s for %s", pick(r, subjects), pick(r, scopes))
	default:
		return fmt.Sprintf("%s: %s %s", pick(r, scopes), pick(r, subjects), pick(r, problems)+" upgrading")
	}
}

// depBump returns the title and branch of a dependency update by a bot.
func depBump(r *rand.Rand, bot *account) (title, branch string) {
	pkg, from, to := pick(r, packages), version(r), version(r)
	if bot.Login == "renovate[bot]" {
		return fmt.Sprintf("chore(deps): update dependency %s to v%s", pkg, to), "renovate/" + pkg + "-" + to
	}
	eco := pick(r, []string{"npm_and_yarn", "go_modules", "pip", "github_actions", "maven"})
	return fmt.Sprintf("chore(deps): bump %s from %s to %s", pkg, from, to), "dependabot/" + eco + "/" + pkg + "-" + to
}
