/** Discord's interaction types (the `type` of an incoming interaction). */
export const InteractionType = { Ping: 1, Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
export type InteractionTypeValue = (typeof InteractionType)[keyof typeof InteractionType];
