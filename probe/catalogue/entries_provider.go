package catalogue

import "downforai/probe"

// providerEntries are errors in another model provider's own words:
// Amazon Bedrock's, Google's (Vertex AI, the Gemini API) and OpenAI's
// (Azure OpenAI's too). Claude runs
// on Bedrock and Vertex too, and people paste OpenAI's errors by mistake;
// the quota, credentials and model access those name are that provider's,
// so none of Anthropic's advice applies and downforai's probes of
// Anthropic's API can neither confirm nor contradict them. Which one a
// paste is comes from its words (provider.go), not from its status.
var providerEntries = []Entry{
	{
		ID: EntryBedrock, Title: "Amazon Bedrock's error, not Anthropic's API", Side: SideProvider, Group: GroupProvider, Class: probe.ClassUnknown,
		What: "The error is in Amazon Bedrock's words (an AWS exception such as ThrottlingException or AccessDeniedException): the request went to Bedrock, whose quotas, credentials and model access are your AWS account's, not Anthropic's.",
		Signatures: []string{
			"ThrottlingException",
			"AccessDeniedException: An error occurred when calling the InvokeModel operation",
			"ServiceQuotaExceededException",
			"ModelTimeoutException",
			"ModelNotReadyException",
			"ModelErrorException",
			"UnrecognizedClientException",
			"ExpiredTokenException",
			"The security token included in the request is invalid",
			"Too many tokens, please wait before trying again",
			"Too many requests, please wait before trying again",
			"The provided model identifier is invalid",
			"Bedrock is unable to process your request",
		},
		Causes: []string{
			"Bedrock's per-minute quota for the model in that region (tokens or requests) is used up: new AWS accounts get low ones",
			"expired or wrong AWS credentials (AWS_PROFILE, an SSO session that timed out)",
			"model access not granted in the Bedrock console, or a model that needs an inference profile (us.anthropic.…) in that region",
			"a model name Bedrock does not know (\"The provided model identifier is invalid\"): Anthropic's claude-sonnet-4-6 instead of Bedrock's id, or ANTHROPIC_MODEL left from another setup",
			"Claude Code set to use Bedrock (CLAUDE_CODE_USE_BEDROCK=1) when you meant Anthropic's API or your subscription",
		},
		Fix: []string{
			"This is Bedrock's answer, not Anthropic's: status.claude.com and downforai's probes say nothing about it.",
			"For throttling, see Service Quotas → Amazon Bedrock for the model and region in the AWS console, and ask AWS for more.",
			"For credentials, run `aws sts get-caller-identity` with the same profile and region (aws sso login if it expired).",
			"For access or model errors, check Bedrock → Model access, and use the inference profile id the console lists.",
			"To use Anthropic's API instead: unset CLAUDE_CODE_USE_BEDROCK.",
		},
		Confirm: "nothing to confirm live: downforai probes Anthropic's own API, not Amazon Bedrock",
	},
	{
		ID: EntryVertex, Title: "Google's error (Vertex AI or Gemini), not Anthropic's", Side: SideProvider, Group: GroupProvider, Class: probe.ClassUnknown,
		What: "The error is in Google's words (a status such as RESOURCE_EXHAUSTED, aiplatform.googleapis.com, generativelanguage.googleapis.com): the request went to Vertex AI or the Gemini API, whose quotas, credentials and model access are your Google project's, not Anthropic's.",
		Signatures: []string{
			"RESOURCE_EXHAUSTED",
			"Quota exceeded for aiplatform.googleapis.com",
			"aiplatform.googleapis.com",
			"cloud.google.com/vertex-ai",
			"Quota exceeded for metric: generativelanguage.googleapis.com",
			"generativelanguage.googleapis.com",
		},
		Causes: []string{
			"the project's Vertex AI quota for the model (requests or input tokens per minute, per region) is used up: new projects often start at 0",
			"a Gemini API key on the free tier, whose per-minute and per-day quotas are small (\"limit: 0\" for models the free tier does not include)",
			"Application Default Credentials expired or of another project",
			"the Claude model not enabled in Vertex AI Model Garden for that project or region",
			"Claude Code set to use Vertex (CLAUDE_CODE_USE_VERTEX=1) when you meant Anthropic's API or your subscription",
		},
		Fix: []string{
			"This is Google's answer, not Anthropic's: status.claude.com and downforai's probes say nothing about it.",
			"For a quota, see IAM & Admin → Quotas for the model and region named in the message, and request an increase.",
			"For credentials, run `gcloud auth application-default login` and check the project (ANTHROPIC_VERTEX_PROJECT_ID).",
			"Enable the model in Vertex AI Model Garden, in a region that serves it (CLOUD_ML_REGION).",
			"For a Gemini API key, see its quotas and billing in Google AI Studio (ai.google.dev/gemini-api/docs/rate-limits).",
			"To use Anthropic's API instead: unset CLAUDE_CODE_USE_VERTEX.",
		},
		Confirm: "nothing to confirm live: downforai probes Anthropic's own API, not Google's Vertex AI or Gemini API",
	},
	{
		ID: EntryOpenAI, Title: "OpenAI's error, not Anthropic's", Side: SideProvider, Group: GroupProvider, Class: probe.ClassUnknown,
		What: "The error is in OpenAI's words (platform.openai.com, insufficient_quota) or Azure OpenAI's (DeploymentNotFound, openai.azure.com): it came from OpenAI's API or Azure's, or a tool speaking to it, about that key, account or deployment, not from Anthropic.",
		Signatures: []string{
			"You exceeded your current quota, please check your plan and billing details",
			"insufficient_quota",
			"You can find your API key at https://platform.openai.com/account/api-keys",
			"platform.openai.com",
			"api.openai.com",
			"The API deployment for this resource does not exist",
			"DeploymentNotFound",
			"openai.azure.com",
		},
		Causes: []string{
			"an OpenAI key that is wrong, revoked, truncated or quoted, or an OpenAI account without credit",
			"a tool configured for OpenAI (OPENAI_API_KEY, an OpenAI base URL) when you meant Claude",
			"an Anthropic key (sk-ant-…) sent to OpenAI, or an OpenAI key sent to Anthropic",
			"on Azure OpenAI, a deployment name that is not the resource's (the deployment's own name goes in the request, not the model's)",
		},
		Fix: []string{
			"This is OpenAI's answer, not Anthropic's: status.claude.com and downforai's probes say nothing about it.",
			"For a key, compare it with platform.openai.com → API keys; for a quota, add credit at platform.openai.com → Billing.",
			"On Azure OpenAI, copy the deployment name from the Azure portal (the resource → Model deployments) and check the endpoint is that resource's.",
			"If the tool should call Claude, set it to Anthropic (its provider setting, ANTHROPIC_API_KEY) instead of OpenAI.",
		},
		Confirm: "nothing to confirm live: downforai probes Anthropic's own API, not OpenAI's or Azure's",
	},
}
