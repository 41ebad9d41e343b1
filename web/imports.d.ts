// The example operations are bundled as text (esbuild's text loader).
declare module '*.graphql' {
  const text: string;
  export default text;
}

// Stylesheets imported for their side effect: esbuild bundles them into the page's CSS file.
declare module '*.css';
