"use client";

import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/** One failing cell shows its error; the rest of the notebook keeps working. */
export default class CellErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="cell-error" role="alert" data-testid="cell-error">
        <strong>This cell failed:</strong> {this.state.error.message}
        <div>
          <button type="button" className="secondary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
