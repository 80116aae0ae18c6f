// The Web PubSub hub ARCP clients connect to. Every client event goes to the function app's `webpubsub` function.

@description('Name of the existing Web PubSub service.')
param webPubSubName string

@description('Name of the hub.')
param hubName string

@description('Default host name of the function app that handles the upstream events.')
param functionAppHostName string

@description('Audience (the aud claim) of the Entra token the service sends with every upstream request.')
param upstreamAudience string

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    // Clients must present a token minted by the app's negotiate function.
    anonymousConnectPolicy: 'Deny'
    eventHandlers: [
      {
        urlTemplate: 'https://${functionAppHostName}/api/webpubsub'
        userEventPattern: '*'
        systemEvents: [
          'connect'
          'connected'
          'disconnected'
        ]
        auth: {
          type: 'ManagedIdentity'
          managedIdentity: {
            resource: upstreamAudience
          }
        }
      }
    ]
  }
}

@description('Name of the hub.')
output hubName string = hub.name

@description('URL the service posts upstream events to.')
output eventHandlerUrl string = hub.properties.eventHandlers[0].urlTemplate
