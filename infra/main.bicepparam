using 'main.bicep'

// Everything not set here keeps the default declared in main.bicep.
param prefix = 'arcp'
param hubName = 'arcp'
param webPubSubSku = 'Standard_S1'
param webPubSubCapacity = 1
param dotnetVersion = '10.0'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReadyHttpInstances = 0
param alwaysReadyDurableInstances = 0
param durablePartitionCount = 4
param tablePrefix = 'arcp'
param taskHubName = 'arcpjobs'

// Client authentication: read from the environment of the deploying shell so no secret is committed.
// Each must be set before `az deployment group create`; compilation fails when one is missing.
param jwtIssuer = readEnvironmentVariable('ARCP_JWT_ISSUER')
param jwtAudience = readEnvironmentVariable('ARCP_JWT_AUDIENCE')
param jwtSigningKeys = readEnvironmentVariable('ARCP_JWT_SIGNING_KEYS')

// Application ID URI of the app registration upstream tokens are issued for (docs/deploy.md, step 1).
param upstreamAudience = readEnvironmentVariable('ARCP_UPSTREAM_AUDIENCE')
