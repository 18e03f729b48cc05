package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// account is a GitHub user, bot or organisation of the sample population.
type account struct {
	ID    int64
	Login string
	Name  string // commit author name
	Email string // commit author email as GH Archive shows it (local part SHA-1 hashed)
	Type  string // "User", "Bot" or "Organization"
	idx   int    // index into population.users for humans, -1 otherwise
}

func (a *account) isBot() bool { return a.Type == "Bot" }

// repository is an organisation repository, a personal repository or a fork.
type repository struct {
	ID       int64
	Owner    *account
	Name     string
	Branch   string // default branch
	Created  time.Time
	Desc     string
	Weight   int  // relative activity within its group
	Major    int  // major version of releases; 0 = no releases
	AWS      bool // owned by one of the AWS organisations
	Fork     bool
	ord      int   // index into population.repos (organisation repositories only)
	slots    int   // issue/PR numbers reserved per hour
	sharePPM int64 // share of all issues and PRs, parts per million
	created  int64 // hour index of Created (may be negative)
	maint    []*account
}

func (r *repository) fullName() string { return r.Owner.Login + "/" + r.Name }

// population is the fixed cast of the sample: it does not depend on Options.Seed,
// so logins, ids and repository names are stable across seeds.
type population struct {
	users    []*account // humans, most active first (Zipf rank order)
	userCum  []int64    // cumulative Zipf weights of users
	repos    []*repository
	personal [][]*repository // personal repositories per user

	dependabot, actions, renovate, mergify, cdkAutomation *account
}

var getPopulation = sync.OnceValue(buildPopulation)

func orgAccount(id int64, login string) *account {
	return &account{ID: id, Login: login, Type: "Organization", idx: -1}
}

func botAccount(id int64, login, typ, name string) *account {
	return &account{ID: id, Login: login, Name: name, Type: typ, idx: -1,
		Email: hashedEmail(fmt.Sprintf("%d+%s", id, login), "users.noreply.github.com")}
}

// repoSpec describes an organisation repository: owner, name, id, creation date,
// default branch, weight and release major version (0 = no releases).
type repoSpec struct {
	owner   *account
	name    string
	id      int64
	created string
	branch  string
	weight  int
	major   int
	desc    string
}

func buildPopulation() *population {
	// Organisation ids of aws, awslabs and the non-AWS organisations are their
	// public GitHub ids (as seen in GH Archive); the others are synthetic.
	aws, awslabs := orgAccount(2232217, "aws"), orgAccount(3299148, "awslabs")
	samples, powertools := orgAccount(8931462, "aws-samples"), orgAccount(129127638, "aws-powertools")
	cdklabs, amplify := orgAccount(69471394, "cdklabs"), orgAccount(41077760, "aws-amplify")
	cfn := orgAccount(39508917, "aws-cloudformation")
	k8s, golang, rust := orgAccount(13629408, "kubernetes"), orgAccount(4314092, "golang"), orgAccount(5430905, "rust-lang")
	facebook, hashicorp := orgAccount(69631, "facebook"), orgAccount(761456, "hashicorp")
	serverless, microsoft := orgAccount(13742415, "serverless"), orgAccount(6154722, "microsoft")
	localstack, pulumi := orgAccount(28732122, "localstack"), orgAccount(21992475, "pulumi")

	awsRepos := []repoSpec{
		{aws, "aws-cdk", 134011720, "2018-05-22", "main", 40, 2, "The AWS Cloud Development Kit is a framework for defining cloud infrastructure in code"},
		{aws, "aws-sdk-go-v2", 116183017, "2017-12-18", "main", 12, 1, "AWS SDK for the Go programming language."},
		{aws, "aws-sdk-js-v3", 145102306, "2018-08-17", "main", 12, 3, "Modularized AWS SDK for JavaScript."},
		{aws, "aws-cli", 6780767, "2012-11-09", "develop", 10, 1, "Universal Command Line Interface for Amazon Web Services"},
		{aws, "aws-sdk-java", 574877, "2010-03-18", "master", 3, 1, "The official AWS SDK for Java 1.x."},
		{aws, "aws-sdk-java-v2", 99148632, "2017-07-02", "master", 10, 2, "The official AWS SDK for Java - Version 2"},
		{aws, "aws-sam-cli", 92205085, "2017-05-23", "develop", 8, 1, "CLI tool to build, test, debug, and deploy Serverless applications using AWS SAM"},
		{aws, "karpenter-provider-aws", 279876110, "2020-07-14", "main", 10, 1, "Karpenter is a Kubernetes Node Autoscaler built for flexibility, performance, and simplicity."},
		{aws, "containers-roadmap", 159883071, "2018-12-01", "main", 5, 0, "This is the public roadmap for AWS container services (ECS, ECR, Fargate, and EKS)."},
		{aws, "aws-lambda-go", 114567012, "2017-12-04", "main", 3, 1, "Libraries, samples and tools to help Go developers develop AWS Lambda functions."},
		{aws, "jsii", 137291640, "2018-04-26", "main", 6, 1, "jsii allows code in any language to naturally interact with JavaScript classes."},
		{awslabs, "mountpoint-s3", 495123657, "2022-06-15", "main", 5, 1, "A simple, high-throughput file client for mounting an Amazon S3 bucket as a local file system."},
		{awslabs, "aws-lambda-web-adapter", 437113401, "2021-11-01", "main", 3, 0, "Run web applications on AWS Lambda"},
		{awslabs, "llrt", 689225044, "2023-08-10", "main", 4, 0, "LLRT (Low Latency Runtime) is an experimental, lightweight JavaScript runtime"},
		{awslabs, "git-secrets", 36154208, "2015-06-02", "master", 1, 0, "Prevents you from committing secrets and credentials into git repositories"},
		{awslabs, "aws-c-common", 117802201, "2018-01-17", "main", 2, 0, "Core c99 package for AWS SDK for C"},
		{awslabs, "aws-sdk-rust", 333124587, "2021-01-25", "main", 4, 1, "AWS SDK for the Rust Programming Language"},
		{samples, "serverless-patterns", 281293475, "2020-08-18", "main", 6, 0, "Serverless patterns. Learn more at the website: https://serverlessland.com/patterns."},
		{samples, "amazon-bedrock-workshop", 622356381, "2023-04-01", "main", 4, 0, "This is a workshop designed for Amazon Bedrock"},
		{samples, "aws-genai-llm-chatbot", 661843522, "2023-06-02", "main", 3, 4, "A modular and comprehensive solution to deploy a Multi-LLM and Multi-RAG powered chatbot"},
		{samples, "eks-workshop-v2", 512345613, "2022-08-01", "main", 3, 0, "Hands-on labs for Amazon EKS"},
		{powertools, "powertools-lambda-python", 217431532, "2019-11-01", "develop", 14, 2, "A developer toolkit to implement Serverless best practices and increase developer velocity."},
		{powertools, "powertools-lambda-typescript", 381261131, "2021-05-08", "main", 10, 2, "Powertools is a developer toolkit to implement Serverless best practices"},
		{powertools, "powertools-lambda-java", 251702290, "2020-03-31", "main", 5, 1, "Powertools is a developer toolkit to implement Serverless best practices"},
		{powertools, "powertools-lambda-dotnet", 395032811, "2021-08-11", "develop", 4, 1, "Powertools is a developer toolkit to implement Serverless best practices"},
		{cdklabs, "cdk-nag", 373221601, "2021-06-02", "main", 5, 2, "Check CDK applications for best practices using a combination of available rule packs"},
		{cdklabs, "cdk-monitoring-constructs", 432521478, "2021-10-27", "main", 3, 8, "Easy-to-use CDK constructs for monitoring your AWS infrastructure"},
		{cdklabs, "cdk-ecr-deployment", 335120422, "2021-02-01", "main", 2, 3, "A CDK construct to deploy docker image to Amazon ECR"},
		{cdklabs, "aws-delivlib", 182733145, "2019-04-22", "main", 2, 0, "setup and manage continuous delivery pipelines for code libraries in multiple languages"},
		{cdklabs, "publib", 297005113, "2020-09-04", "main", 2, 0, "A unified toolchain for publishing libraries to popular package managers"},
		{amplify, "amplify-js", 84285932, "2017-03-08", "main", 14, 6, "A declarative JavaScript library for application development using cloud services."},
		{amplify, "amplify-cli", 140522099, "2018-06-11", "dev", 8, 12, "The AWS Amplify CLI is a toolchain for simplifying serverless web and mobile development."},
		{amplify, "amplify-ui", 326150123, "2021-01-29", "main", 6, 6, "Amplify UI is a collection of accessible, themeable, performant React components"},
		{amplify, "amplify-flutter", 221343188, "2019-12-13", "main", 5, 2, "A declarative library with an easy-to-use interface for building Flutter applications on AWS."},
		{amplify, "amplify-backend", 606122455, "2023-03-24", "main", 6, 1, "Home to all tools related to Amplify's code-first DX (Gen 2) for building fullstack apps on AWS"},
		{cfn, "cfn-lint", 108219112, "2018-01-25", "main", 8, 1, "CloudFormation Linter"},
		{cfn, "cloudformation-coverage-roadmap", 195567111, "2019-07-08", "master", 4, 0, "The AWS CloudFormation Public Coverage Roadmap"},
		{cfn, "cloudformation-guard", 220012345, "2019-12-05", "main", 2, 3, "Guard offers a policy-as-code domain-specific language (DSL) to write rules"},
		{cfn, "rain", 240012887, "2020-02-19", "main", 2, 1, "A development workflow tool for working with AWS CloudFormation"},
	}
	otherRepos := []repoSpec{
		{k8s, "kubernetes", 20580498, "2014-06-06", "master", 20, 1, "Production-Grade Container Scheduling and Management"},
		{golang, "go", 23096959, "2014-08-19", "master", 12, 0, "The Go programming language"},
		{rust, "rust", 724712, "2010-06-16", "master", 12, 1, "Empowering everyone to build reliable and efficient software."},
		{facebook, "react", 10270250, "2013-05-24", "main", 10, 18, "The library for web and native user interfaces."},
		{hashicorp, "terraform-provider-aws", 93446042, "2017-06-05", "main", 14, 5, "The AWS Provider enables Terraform to manage AWS resources."},
		{hashicorp, "terraform", 17728164, "2014-04-30", "main", 8, 1, "Terraform enables you to safely and predictably create, change, and improve infrastructure."},
		{serverless, "serverless", 34302698, "2015-04-24", "main", 3, 3, "Serverless Framework - Build web, mobile and IoT applications with serverless architectures"},
		{microsoft, "vscode", 41881900, "2015-09-03", "main", 14, 1, "Visual Studio Code"},
		{localstack, "localstack", 74498810, "2016-10-25", "main", 6, 3, "A fully functional local AWS cloud stack."},
		{pulumi, "pulumi", 72477752, "2016-10-31", "master", 5, 3, "Pulumi - Infrastructure as Code in any programming language."},
	}

	p := &population{
		dependabot:    botAccount(49699333, "dependabot[bot]", "Bot", "dependabot[bot]"),
		actions:       botAccount(41898282, "github-actions[bot]", "Bot", "github-actions[bot]"),
		renovate:      botAccount(29139614, "renovate[bot]", "Bot", "renovate[bot]"),
		mergify:       botAccount(37929162, "mergify[bot]", "Bot", "mergify[bot]"),
		cdkAutomation: botAccount(43080478, "aws-cdk-automation", "User", "AWS CDK Automation"),
	}
	r := rand.New(rand.NewPCG(0x636f6e7472696274, 0x7261636b)) // fixed: the cast never changes
	p.users = makeUsers(r, 320)
	var total int64
	for i := range p.users {
		total += 1_000_000 / int64(i+1) // Zipf, s = 1
		p.userCum = append(p.userCum, total)
	}
	addGroup := func(specs []repoSpec, aws bool, sharePPM int64) {
		sum := 0
		for _, s := range specs {
			sum += s.weight
		}
		for _, s := range specs {
			created, err := time.Parse(time.DateOnly, s.created)
			if err != nil {
				panic(err)
			}
			repo := &repository{ID: s.id, Owner: s.owner, Name: s.name, Branch: s.branch, Created: created,
				Desc: s.desc, Weight: s.weight, Major: s.major, AWS: aws, ord: len(p.repos),
				slots: 1 + s.weight/8, sharePPM: sharePPM * int64(s.weight) / int64(sum),
				created: int64(created.Sub(epoch) / time.Hour)}
			for n := 3 + r.IntN(4); len(repo.maint) < n; {
				if u := p.users[p.pickUser(r)]; !containsAccount(repo.maint, u) {
					repo.maint = append(repo.maint, u)
				}
			}
			p.repos = append(p.repos, repo)
		}
	}
	addGroup(awsRepos, true, 750_000) // three quarters of issues and PRs are in AWS organisations
	addGroup(otherRepos, false, 250_000)
	for _, u := range p.users {
		var own []*repository
		for k, name := range pickDistinct(r, personalRepoNames, 3) {
			own = append(own, &repository{ID: 950_000_000 + int64(u.idx)*8 + int64(k), Owner: u, Name: name,
				Branch: "main", Created: epoch.AddDate(0, 0, -r.IntN(1500)), Weight: 1, ord: -1})
		}
		p.personal = append(p.personal, own)
	}
	return p
}

// pickUser returns the index of a human user, Zipf-distributed over the rank.
func (p *population) pickUser(r *rand.Rand) int {
	x := r.Int64N(p.userCum[len(p.userCum)-1])
	lo, hi := 0, len(p.userCum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if p.userCum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// forkOf returns the fork of upstream owned by user u. Its id is derived from
// (user, repository), so the same fork always has the same id. Repository ids:
// organisation repositories < 950M, personal ones 950M + 8*user + k, forks
// 960M + 1000*user + upstream (ForkEvent forkees get per-hour ids, see free.go).
func (p *population) forkOf(u *account, upstream *repository) *repository {
	return &repository{ID: 960_000_000 + int64(u.idx)*1000 + int64(upstream.ord), Owner: u,
		Name: upstream.Name, Branch: upstream.Branch, Created: upstream.Created, Desc: upstream.Desc,
		Fork: true, ord: -1}
}

func containsAccount(list []*account, a *account) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func makeUsers(r *rand.Rand, n int) []*account {
	seenLogin, seenID := map[string]bool{}, map[int64]bool{}
	var users []*account
	for len(users) < n {
		given, surname := pick(r, givenNames), pick(r, surnames)
		g, s := strings.ToLower(given), strings.ToLower(surname)
		var login string
		switch r.IntN(7) {
		case 0:
			login = g + s
		case 1:
			login = g[:1] + s
		case 2:
			login = g + "-" + s
		case 3:
			login = g + fmt.Sprint(10+r.IntN(9990))
		case 4:
			login = s + g[:1] + pick(r, []string{"", "-dev", "-aws", "x"})
		default:
			login = pick(r, syllables) + pick(r, syllables) + pick(r, []string{"", pick(r, syllables), fmt.Sprint(r.IntN(100))})
		}
		id := 1_000_000 + r.Int64N(159_000_000)
		if seenLogin[login] || seenID[id] {
			continue
		}
		seenLogin[login], seenID[id] = true, true
		var email string
		switch x := r.IntN(100); {
		case x < 40:
			email = hashedEmail(fmt.Sprintf("%d+%s", id, login), "users.noreply.github.com")
		case x < 72:
			email = hashedEmail(g+"."+s, "gmail.com")
		case x < 90:
			email = hashedEmail(login, "amazon.com")
		default:
			email = hashedEmail(login, pick(r, []string{"outlook.com", "hey.com", "proton.me", "qq.com"}))
		}
		users = append(users, &account{ID: id, Login: login, Name: given + " " + surname,
			Email: email, Type: "User", idx: len(users)})
	}
	return users
}
