package catalogue

import (
	"slices"
	"strings"

	"downforai/probe/lazyre"
)

// A paste in another provider's own words is that provider's answer,
// whatever it says: Amazon Bedrock's exceptions, Google's canonical
// statuses and hosts, OpenAI's and Azure OpenAI's hosts and words. Each provider is known by
// what only it writes — never by a status or by a phrase every API uses
// ("Invalid API key", "Too many requests") — so a message is said to be
// Bedrock's, Vertex AI's or OpenAI's only when its own format shows.
type providerMarks struct {
	id    EntryID
	name  string   // as the diagnosis names it
	words []string // lower case, found anywhere in the one-spaced text
	names []string // lower case, found as whole words
	// guarded are names other software uses too, counted only with one
	// of context beside them.
	guarded, context []string
	res              []*lazyre.Regexp // matched in the text as written
}

var providers = []providerMarks{
	{
		id: EntryBedrock, name: "Amazon Bedrock",
		words: []string{
			"the security token included in the request is invalid", // AWS SigV4's
			"too many tokens, please wait before trying again",      // Bedrock's throttle
			"too many requests, please wait before trying again",
			"bedrock-runtime", "invokemodel", "x-amzn-errortype", "botocore", "$fault",
			// Bedrock's ValidationException for a model id it does not
			// serve (Claude Code prints it bare: "400 The provided model
			// identifier is invalid.").
			"the provided model identifier is invalid",
			// Its ServiceUnavailableException, as clients print it.
			"bedrock is unable to process your request",
			// Bedrock's daily token quota, and the AWS SDK finding no
			// credentials for it (Claude Code prints both bare).
			"too many tokens per day, please wait",
			"could not load credentials from any providers",
			// Bedrock's AccessDenied for a model the account has not enabled.
			"you don't have access to the model with the specified model id",
			// ... and for a model whose AWS Marketplace subscription the
			// role may not complete.
			"model access is denied due to iam user or service role",
			// botocore's "An error occurred (X) when calling the Y
			// operation" for Bedrock's Converse API.
			"when calling the conversestream operation", "when calling the converse operation",
			// Its ValidationException for a model served only through an
			// inference profile (us.anthropic.…), as clients print it bare.
			"with on-demand throughput isn", "the id or arn of an inference profile",
		},
		// Exceptions only AWS services throw (the SDKs' error names).
		names: []string{
			"throttlingexception", "servicequotaexceededexception", "modeltimeoutexception",
			"modelnotreadyexception", "modelerrorexception", "modelstreamerrorexception",
			"unrecognizedclientexception", "expiredtokenexception",
		},
		// Java and others throw these too: Bedrock must be named beside them.
		guarded: []string{"accessdeniedexception", "validationexception", "serviceunavailableexception", "resourcenotfoundexception", "internalserverexception"},
		context: []string{"bedrock"},
	},
	{
		id: EntryVertex, name: "Google",
		// Vertex AI's host and Google AI Studio's (the Gemini API), and
		// the docs their errors link to.
		words: []string{"aiplatform.googleapis.com", "cloud.google.com/vertex-ai",
			// google-auth-library finding no Application Default Credentials,
			// and google-auth's refresh refused until gcloud logs in again.
			"could not load the default credentials", "reauth related error", "invalid_rapt",
			// Vertex AI's 404 for a model it does not serve, as its SDKs print it.
			"publisher model `projects/",
			"generativelanguage.googleapis.com", "ai.google.dev/gemini-api"},
		names: []string{"resource_exhausted"},
		// Google's error body: {"error": {"code": 429, "status": "UNAVAILABLE"}}
		// — a canonical status in capitals as its "status" (or a
		// relay's "type").
		res: []*lazyre.Regexp{lazyre.New(`['"](?:status|type)['"]\s*:\s*['"](?:RESOURCE_EXHAUSTED|PERMISSION_DENIED|UNAUTHENTICATED|INVALID_ARGUMENT|FAILED_PRECONDITION|UNAVAILABLE|DEADLINE_EXCEEDED|NOT_FOUND|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|DATA_LOSS)['"]`)},
	},
	{
		id: EntryOpenAI, name: "OpenAI",
		words: []string{
			"platform.openai.com", "api.openai.com", "help.openai.com",
			"you exceeded your current quota, please check your plan and billing details",
			"openai.authenticationerror", "openai.ratelimiterror", "openai.permissiondeniederror",
		},
		names: []string{"insufficient_quota"},
	},
	{
		// Azure OpenAI: OpenAI's models behind Microsoft's hosts, with its
		// own deployment names and error codes.
		id: EntryOpenAI, name: "Azure OpenAI",
		words: []string{
			"openai.azure.com", "cognitiveservices.azure.com",
			"the api deployment for this resource does not exist",
		},
		names: []string{"deploymentnotfound"},
	},
}

// provider is the other provider whose own words the paste holds, its
// name, and those words as the paste spells them; "" when it holds none.
func (p Clues) provider() (id EntryID, name, words string) {
	for _, pm := range providers {
		for _, w := range pm.words {
			if strings.Contains(p.lower, w) {
				return pm.id, pm.name, p.asWritten(w)
			}
		}
		names := pm.names
		if slices.ContainsFunc(pm.context, func(c string) bool { return strings.Contains(p.lower, c) }) {
			names = slices.Concat(names, pm.guarded)
		}
		for _, w := range names {
			if hasWord(p.lower, w) {
				return pm.id, pm.name, p.asWritten(w)
			}
		}
		for _, re := range pm.res {
			if m := re.FindString(p.flat); m != "" {
				return pm.id, pm.name, oneSpace(m)
			}
		}
	}
	return "", "", ""
}

// asWritten is w (lower case, one-spaced) as the paste spells it, or w
// itself where the paste's blanks differ.
func (p Clues) asWritten(w string) string {
	if i := strings.Index(strings.ToLower(p.flat), w); i >= 0 && len(p.flat) == len(strings.ToLower(p.flat)) {
		return p.flat[i : i+len(w)]
	}
	return w
}
