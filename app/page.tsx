export default function Home() {
  return (
    <main style={{ padding: 24 }}>
      <h1>Passkey rollout analytics</h1>
      <p>Ingest is live at <code>/v1/logs</code>; the read API at <code>/api/v1</code>.</p>
    </main>
  );
}
