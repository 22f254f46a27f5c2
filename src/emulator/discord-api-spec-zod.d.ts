// discord-api-spec's "./zod" export points its types at the JavaScript file itself, which TypeScript does not read
// for types; conformance.ts needs only these schemas, and reads them through its own Parser interface.
declare module "discord-api-spec/zod" {
  export const PongInteractionCallbackRequestSchema: unknown;
  export const CreateMessageInteractionCallbackRequestSchema: unknown;
  export const UpdateMessageInteractionCallbackRequestSchema: unknown;
  export const ApplicationCommandAutocompleteCallbackRequestSchema: unknown;
  export const ModalInteractionCallbackRequestSchema: unknown;
  export const LaunchActivityInteractionCallbackRequestSchema: unknown;
  export const IncomingWebhookRequestPartialSchema: unknown;
  export const IncomingWebhookUpdateRequestPartialSchema: unknown;
  export const ApplicationCommandUpdateRequestSchema: unknown;
  export const ApplicationCommandCreateRequestSchema: unknown;
  export const ApplicationCommandPatchRequestPartialSchema: unknown;
  export const MessageCreateRequestSchema: unknown;
  export const UpdateApplicationUserRoleConnectionRequestSchema: unknown;
  export const ApplicationRoleConnectionsMetadataItemRequestSchema: unknown;
  export const InteractionCallbackResponseSchema: unknown;
}
