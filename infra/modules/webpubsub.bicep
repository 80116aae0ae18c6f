// The Web PubSub service. Its hub is deployed separately (webpubsub-hub.bicep) because the hub's event handler points
// at the function app, and the function app's settings point at this service.

@description('Azure region of the resources.')
param location string

@description('Name of the Web PubSub service (globally unique host name).')
param webPubSubName string

@description('SKU of the Web PubSub service.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param skuName string

@description('Units of the Web PubSub service (Free_F1 allows only 1; Standard_S1 has 1,000 concurrent connections per unit).')
@minValue(1)
@maxValue(100)
param capacity int

@description('Resource id of the user-assigned identity the service uses to get tokens for its upstream calls.')
param identityId string

@description('True turns off the access keys: the app then calls the data plane with Entra tokens only.')
param disableLocalAuth bool

@description('Tags applied to every resource.')
param tags object = {}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: webPubSubName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: split(skuName, '_')[0]
    capacity: skuName == 'Free_F1' ? 1 : capacity
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    disableAadAuth: false
    disableLocalAuth: disableLocalAuth
    publicNetworkAccess: 'Enabled'
    tls: {
      clientCertEnabled: false
    }
  }
}

@description('Name of the Web PubSub service.')
output webPubSubName string = webPubSub.name

@description('Service endpoint, https://<name>.webpubsub.azure.com.')
output endpoint string = 'https://${webPubSub.properties.hostName}'
