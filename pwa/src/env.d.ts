/// <reference types="vite/client" />

declare module 'vue' {
  // Stable hooks for the end-to-end tests on native elements.
  interface HTMLAttributes {
    'data-testid'?: string
  }
}

export {}
